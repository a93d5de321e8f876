package io.scenebank.sdk.internal.httpsig;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The signature base of RFC 9421 §2.5: one line {@code "<component identifier>": <value>} per
 * covered component, joined by {@code \n}, then the {@code "@signature-params"} line, with no
 * trailing newline.
 *
 * <p>Derived components: {@code @method}, {@code @target-uri}, {@code @authority}, {@code
 * @scheme}, {@code @request-target}, {@code @path}, {@code @query}, {@code @query-param} (with
 * {@code name}) and {@code @status}. HTTP fields by lower-case name, with the parameters {@code
 * req}, {@code key}, {@code sf} and {@code bs}. Values may hold only visible ASCII, spaces, tabs
 * and obs-text: a control character (a line break above all) fails the base.
 */
public final class SignatureBase {

  /** Fields whose structured type is known, for the {@code sf} parameter. */
  private static final Set<String> DICTIONARY_FIELDS =
      Collections.unmodifiableSet(
          new HashSet<>(
              List.of(
                  "signature",
                  "signature-input",
                  "accept-signature",
                  "content-digest",
                  "repr-digest",
                  "want-content-digest",
                  "want-repr-digest",
                  "priority")));

  private static final Set<String> LIST_FIELDS =
      Collections.unmodifiableSet(new HashSet<>(List.of("cache-status", "proxy-status")));

  private SignatureBase() {}

  /**
   * Builds the signature base.
   *
   * @param components the covered components, in order
   * @param signatureParamsValue the value of the {@code "@signature-params"} line ({@link
   *     SignatureInput#signatureParamsValue()})
   * @param message the message whose components are covered (for a response, its related request
   *     provides the components with {@code req})
   * @throws MissingComponentException if the message lacks a covered component
   * @throws SignatureFormatException if a component is malformed or does not apply to the message
   */
  public static String build(
      List<ComponentIdentifier> components, String signatureParamsValue, Message message) {
    StringBuilder base = new StringBuilder(512);
    Set<ComponentIdentifier> seen = new HashSet<>();
    for (ComponentIdentifier component : components) {
      if (!seen.add(component)) {
        throw new SignatureFormatException("the component " + component + " is covered twice");
      }
      if (component.name().equals("@signature-params")) {
        throw new SignatureFormatException("\"@signature-params\" cannot be a covered component");
      }
      for (String value : componentValues(component, message)) {
        base.append(component.serialized()).append(": ").append(value).append('\n');
      }
    }
    return base.append("\"@signature-params\": ").append(signatureParamsValue).toString();
  }

  /** The bytes that are signed: the base's characters as single bytes (ASCII and obs-text). */
  public static byte[] toBytes(String base) {
    return base.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * The value(s) of one component: one, except for a query parameter that occurs several times,
   * which has one line per occurrence.
   */
  static List<String> componentValues(ComponentIdentifier component, Message message) {
    Message context = message;
    if (component.has("req")) {
      if (message.isRequest()) {
        throw new SignatureFormatException("the req parameter is only for responses: " + component);
      }
      context = message.relatedRequest();
      if (context == null) {
        throw new MissingComponentException(
            component.serialized(),
            "the component " + component + " needs the request the response answers");
      }
    }
    if (component.has("tr")) {
      throw new SignatureFormatException("trailer fields are not supported: " + component);
    }
    List<String> values =
        component.isDerived()
            ? derivedValues(component, context)
            : Collections.singletonList(fieldValue(component, context));
    for (String value : values) {
      checkValue(component, value);
    }
    return values;
  }

  // ---------------------------------------------------------------- derived components

  private static List<String> derivedValues(ComponentIdentifier component, Message message) {
    String name = component.name();
    for (String parameter : component.parameters().keySet()) {
      boolean allowed =
          parameter.equals("req") || (parameter.equals("name") && name.equals("@query-param"));
      if (!allowed) {
        throw new SignatureFormatException(
            "the parameter " + parameter + " does not apply to " + component);
      }
    }
    if (name.equals("@status")) {
      if (message.isRequest()) {
        throw new SignatureFormatException("@status applies to responses only");
      }
      return Collections.singletonList(Integer.toString(message.status()));
    }
    switch (name) {
      case "@method":
      case "@target-uri":
      case "@authority":
      case "@scheme":
      case "@request-target":
      case "@path":
      case "@query":
      case "@query-param":
        break;
      default:
        throw new SignatureFormatException("unknown derived component " + component);
    }
    if (!message.isRequest()) {
      throw new SignatureFormatException(
          component + " applies to requests (use ;req to take it from the request)");
    }
    if (name.equals("@method")) {
      return single(required(component, message.method()));
    }
    String target = required(component, message.targetUri());
    if (name.equals("@target-uri")) {
      return single(target);
    }
    URI uri = parseUri(target);
    switch (name) {
      case "@authority":
        return single(authority(uri));
      case "@scheme":
        return single(required(component, uri.getScheme()).toLowerCase(Locale.ROOT));
      case "@path":
        return single(path(uri));
      case "@query":
        return single(uri.getRawQuery() == null ? "?" : "?" + uri.getRawQuery());
      case "@request-target":
        return single(uri.getRawQuery() == null ? path(uri) : path(uri) + "?" + uri.getRawQuery());
      default:
        return queryParameter(component, uri);
    }
  }

  private static List<String> single(String value) {
    return Collections.singletonList(value);
  }

  private static String required(ComponentIdentifier component, String value) {
    if (value == null) {
      throw new MissingComponentException(component.serialized());
    }
    return value;
  }

  private static URI parseUri(String target) {
    try {
      URI uri = new URI(target);
      if (!uri.isAbsolute() || uri.getRawAuthority() == null) {
        throw new SignatureFormatException("the target URI is not absolute: " + target);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new SignatureFormatException("the target URI is not a valid URI: " + e.getMessage());
    }
  }

  private static String path(URI uri) {
    String path = uri.getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  /** RFC 9110 §4.2.3 normalization: lower-case host, no default port, no user information. */
  private static String authority(URI uri) {
    String authority = uri.getRawAuthority();
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    authority = authority.toLowerCase(Locale.ROOT);
    int colon = authority.lastIndexOf(':');
    if (colon > authority.lastIndexOf(']')) {
      String port = authority.substring(colon + 1);
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      boolean defaultPort =
          port.isEmpty()
              || (scheme.equals("https") && port.equals("443"))
              || (scheme.equals("http") && port.equals("80"));
      if (defaultPort) {
        authority = authority.substring(0, colon);
      }
    }
    return authority;
  }

  /**
   * {@code @query-param}: the query parsed as application/x-www-form-urlencoded, names and values
   * percent-encoded again (RFC 9421 §2.2.8); one value per occurrence of the name.
   */
  private static List<String> queryParameter(ComponentIdentifier component, URI uri) {
    String wanted = component.stringParameter("name");
    if (wanted == null) {
      throw new SignatureFormatException("@query-param needs a name parameter: " + component);
    }
    List<String> values = new ArrayList<>();
    String query = uri.getRawQuery();
    if (query != null) {
      for (String pair : query.split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        String name = equals < 0 ? pair : pair.substring(0, equals);
        String value = equals < 0 ? "" : pair.substring(equals + 1);
        if (reencode(name).equals(wanted)) {
          values.add(reencode(value));
        }
      }
    }
    if (values.isEmpty()) {
      throw new MissingComponentException(component.serialized());
    }
    return values;
  }

  /** Form-decodes ('+' is a space, %XX an octet, UTF-8), then percent-encodes again. */
  private static String reencode(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%'
          && i + 2 < raw.length()
          && hex(raw.charAt(i + 1)) >= 0
          && hex(raw.charAt(i + 2)) >= 0) {
        bytes.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
        i += 2;
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
    }
    // decode as UTF-8 (malformed sequences become U+FFFD), then encode the UTF-8 bytes again
    String decoded = new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    for (byte b : decoded.getBytes(StandardCharsets.UTF_8)) {
      int octet = b & 0xff;
      boolean unreserved =
          (octet >= 'a' && octet <= 'z')
              || (octet >= 'A' && octet <= 'Z')
              || (octet >= '0' && octet <= '9')
              || octet == '*'
              || octet == '-'
              || octet == '.'
              || octet == '_';
      if (unreserved) {
        out.append((char) octet);
      } else {
        out.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xf]);
      }
    }
    return out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  // ---------------------------------------------------------------- HTTP fields

  private static String fieldValue(ComponentIdentifier component, Message message) {
    String name = component.name();
    boolean sf = component.has("sf");
    boolean bs = component.has("bs");
    String key = component.stringParameter("key");
    if (component.parameters().containsKey("name")) {
      throw new SignatureFormatException("the name parameter applies to @query-param only");
    }
    if (bs && (sf || key != null)) {
      throw new SignatureFormatException("bs cannot be combined with sf or key: " + component);
    }
    List<String> lines = message.fieldValues(name);
    if (lines == null || lines.isEmpty()) {
      throw new MissingComponentException(component.serialized());
    }
    if (bs) {
      StringBuilder out = new StringBuilder();
      for (String line : lines) {
        if (out.length() > 0) {
          out.append(", ");
        }
        String canonical = canonicalLine(line);
        checkValue(component, canonical);
        byte[] raw = canonical.getBytes(StandardCharsets.ISO_8859_1);
        out.append(':').append(Base64.getEncoder().encodeToString(raw)).append(':');
      }
      return out.toString();
    }
    String value;
    if (lines.size() == 1) {
      value = canonicalLine(lines.get(0));
    } else {
      StringBuilder combined = new StringBuilder();
      for (int i = 0; i < lines.size(); i++) {
        if (i > 0) {
          combined.append(", ");
        }
        combined.append(canonicalLine(lines.get(i)));
      }
      value = combined.toString();
    }
    if (key != null) {
      Map<String, StructuredFields.Member> dictionary;
      try {
        dictionary = StructuredFields.parseDictionary(value);
      } catch (SignatureFormatException e) {
        throw new SignatureFormatException(
            "the field " + name + " is not a valid dictionary: " + e.getMessage(), e);
      }
      StructuredFields.Member member = dictionary.get(key);
      if (member == null) {
        throw new MissingComponentException(component.serialized());
      }
      return StructuredFields.serializeMember(member);
    }
    if (sf) {
      try {
        if (DICTIONARY_FIELDS.contains(name)) {
          return StructuredFields.serializeDictionary(StructuredFields.parseDictionary(value));
        }
        if (LIST_FIELDS.contains(name)) {
          return StructuredFields.serializeList(StructuredFields.parseList(value));
        }
      } catch (SignatureFormatException e) {
        throw new SignatureFormatException(
            "the field " + name + " is not a valid structured field: " + e.getMessage(), e);
      }
      throw new SignatureFormatException(
          "the structured type of the field " + name + " is not known: it cannot have sf");
    }
    return value;
  }

  /** One field line: obs-folds replaced by a space, leading and trailing whitespace removed. */
  private static String canonicalLine(String line) {
    String value = line;
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      value = value.replaceAll("\\r?\\n[ \\t]+", " ");
    }
    int from = 0;
    int to = value.length();
    while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
      to--;
    }
    return value.substring(from, to);
  }

  private static void checkValue(ComponentIdentifier component, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        throw new SignatureFormatException(
            "the value of "
                + component
                + " contains a forbidden character (U+"
                + String.format("%04X", (int) c)
                + ")");
      }
    }
  }
}
