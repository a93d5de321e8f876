package io.scenebank.gateway.care;

import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.tx.Transactions;
import io.vertx.sqlclient.Pool;

/** What the care services share. */
record CareServices(
    Pool pool,
    Ledger ledger,
    Events events,
    AppClock clock,
    CareRows rows,
    Patients patients,
    CreditPolicy policy,
    int graceDays,
    int penaltyBps,
    Transactions transactions) {}
