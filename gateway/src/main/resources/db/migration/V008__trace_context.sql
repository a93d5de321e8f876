-- W3C trace context: the trace an event was created in, so that its webhook deliveries continue
-- that trace (their traceparent names it) however late they are made.
ALTER TABLE events ADD COLUMN trace_id text;
