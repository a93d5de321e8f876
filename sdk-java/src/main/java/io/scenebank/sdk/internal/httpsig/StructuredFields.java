package io.scenebank.sdk.internal.httpsig;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Structured Field Values for HTTP (RFC 8941): strict parsing and canonical serialization of
 * Dictionaries, Lists and Items.
 *
 * <p>Bare item values are Java objects: {@link Long} (Integer), {@link BigDecimal} (Decimal),
 * {@link String} (String), {@link Token}, {@link ByteSequence} and {@link Boolean}. Dictionaries
 * and parameters are ordered maps. Malformed input fails with {@link SignatureFormatException}.
 */
public final class StructuredFields {

  private static final long MAX_INTEGER = 999_999_999_999_999L;

  private StructuredFields() {}

  // ---------------------------------------------------------------- model

  /** A Dictionary or List member: an {@link Item} or an {@link InnerList}. */
  public interface Member {
    /** The member's parameters, in order; unmodifiable. */
    Map<String, Object> parameters();
  }

  /** A Token bare item (e.g. {@code ?} less words such as {@code sha-256} used as values). */
  public static final class Token {
    private final String value;

    private Token(String value) {
      this.value = value;
    }

    /** A token; it must match the RFC 8941 token grammar. */
    public static Token of(String value) {
      if (value == null || value.isEmpty() || !isTokenStart(value.charAt(0))) {
        throw new SignatureFormatException("not a token: " + value);
      }
      for (int i = 1; i < value.length(); i++) {
        if (!isTokenChar(value.charAt(i))) {
          throw new SignatureFormatException("not a token: " + value);
        }
      }
      return new Token(value);
    }

    public String value() {
      return value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Token && ((Token) o).value.equals(value);
    }

    @Override
    public int hashCode() {
      return value.hashCode();
    }

    @Override
    public String toString() {
      return value;
    }
  }

  /** A Byte Sequence bare item. Immutable: the bytes are copied in and out. */
  public static final class ByteSequence {
    private final byte[] bytes;

    private ByteSequence(byte[] bytes) {
      this.bytes = bytes;
    }

    public static ByteSequence of(byte[] bytes) {
      return new ByteSequence(bytes.clone());
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByteSequence && Arrays.equals(((ByteSequence) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return ":" + Base64.getEncoder().encodeToString(bytes) + ":";
    }
  }

  /** An Item: a bare value with parameters. */
  public static final class Item implements Member {
    private final Object value;
    private final Map<String, Object> parameters;

    private Item(Object value, Map<String, Object> parameters) {
      this.value = value;
      this.parameters = parameters;
    }

    /** An item without parameters. */
    public static Item of(Object value) {
      return new Item(checkBareItem(value), Collections.emptyMap());
    }

    /** An item with parameters (copied, in their iteration order). */
    public static Item of(Object value, Map<String, ?> parameters) {
      return new Item(checkBareItem(value), checkParameters(parameters));
    }

    /** The bare value: Long, BigDecimal, String, Token, ByteSequence or Boolean. */
    public Object value() {
      return value;
    }

    @Override
    public Map<String, Object> parameters() {
      return parameters;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Item
          && ((Item) o).value.equals(value)
          && ((Item) o).parameters.equals(parameters);
    }

    @Override
    public int hashCode() {
      return Objects.hash(value, parameters);
    }

    @Override
    public String toString() {
      return serializeItem(this);
    }
  }

  /** An Inner List: items in parentheses, with parameters. */
  public static final class InnerList implements Member {
    private final List<Item> items;
    private final Map<String, Object> parameters;

    private InnerList(List<Item> items, Map<String, Object> parameters) {
      this.items = items;
      this.parameters = parameters;
    }

    public static InnerList of(List<Item> items, Map<String, ?> parameters) {
      List<Item> copy = new ArrayList<>(items);
      for (Item item : copy) {
        Objects.requireNonNull(item, "inner list item");
      }
      return new InnerList(Collections.unmodifiableList(copy), checkParameters(parameters));
    }

    /** The items, in order; unmodifiable. */
    public List<Item> items() {
      return items;
    }

    @Override
    public Map<String, Object> parameters() {
      return parameters;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof InnerList
          && ((InnerList) o).items.equals(items)
          && ((InnerList) o).parameters.equals(parameters);
    }

    @Override
    public int hashCode() {
      return Objects.hash(items, parameters);
    }

    @Override
    public String toString() {
      return serializeMember(this);
    }
  }

  // ---------------------------------------------------------------- parsing (RFC 8941 §4.2)

  /** Parses a Dictionary field value (an empty value is an empty Dictionary). */
  public static Map<String, Member> parseDictionary(String fieldValue) {
    Parser parser = new Parser(fieldValue);
    Map<String, Member> dictionary = parser.dictionary();
    return Collections.unmodifiableMap(dictionary);
  }

  /** Parses a List field value (an empty value is an empty List). */
  public static List<Member> parseList(String fieldValue) {
    Parser parser = new Parser(fieldValue);
    return Collections.unmodifiableList(parser.list());
  }

  /** Parses an Item field value. */
  public static Item parseItem(String fieldValue) {
    Parser parser = new Parser(fieldValue);
    Item item = parser.item();
    parser.expectEnd();
    return item;
  }

  private static final class Parser {
    private final String input;
    private int pos;
    private final int end;

    Parser(String fieldValue) {
      if (fieldValue == null) {
        throw new SignatureFormatException("the structured field value is missing");
      }
      for (int i = 0; i < fieldValue.length(); i++) {
        char c = fieldValue.charAt(i);
        if (c > 0x7e || (c < 0x20 && c != '\t')) {
          throw new SignatureFormatException(
              "structured field contains a character outside visible ASCII at index " + i);
        }
      }
      int from = 0;
      int to = fieldValue.length();
      while (from < to && fieldValue.charAt(from) == ' ') {
        from++;
      }
      while (to > from && fieldValue.charAt(to - 1) == ' ') {
        to--;
      }
      this.input = fieldValue;
      this.pos = from;
      this.end = to;
    }

    Map<String, Member> dictionary() {
      Map<String, Member> dictionary = new LinkedHashMap<>();
      while (pos < end) {
        String key = key();
        Member member;
        if (peek() == '=') {
          pos++;
          member = itemOrInnerList();
        } else {
          member = new Item(Boolean.TRUE, parameters());
        }
        dictionary.put(key, member);
        if (!nextMember()) {
          break;
        }
      }
      return dictionary;
    }

    List<Member> list() {
      List<Member> list = new ArrayList<>();
      while (pos < end) {
        list.add(itemOrInnerList());
        if (!nextMember()) {
          break;
        }
      }
      return list;
    }

    /** After a member: the end, or a comma followed by another member. */
    private boolean nextMember() {
      skipOws();
      if (pos >= end) {
        return false;
      }
      if (input.charAt(pos) != ',') {
        throw fail("expected ',' between members");
      }
      pos++;
      skipOws();
      if (pos >= end) {
        throw fail("trailing comma");
      }
      return true;
    }

    void expectEnd() {
      if (pos < end) {
        throw fail("unexpected characters after the item");
      }
    }

    private Member itemOrInnerList() {
      return peek() == '(' ? innerList() : item();
    }

    private InnerList innerList() {
      pos++; // '('
      List<Item> items = new ArrayList<>();
      while (pos < end) {
        skipSp();
        if (peek() == ')') {
          pos++;
          return new InnerList(Collections.unmodifiableList(items), parameters());
        }
        items.add(item());
        char next = peek();
        if (next != ' ' && next != ')') {
          throw fail("expected ' ' or ')' in an inner list");
        }
      }
      throw fail("unterminated inner list");
    }

    Item item() {
      Object value = bareItem();
      return new Item(value, parameters());
    }

    private Object bareItem() {
      char c = peek();
      if (c == '-' || isDigit(c)) {
        return number();
      }
      if (c == '"') {
        return string();
      }
      if (c == ':') {
        return byteSequence();
      }
      if (c == '?') {
        return bool();
      }
      if (isTokenStart(c)) {
        return token();
      }
      throw fail(pos >= end ? "missing value" : "unexpected character '" + c + "'");
    }

    private Map<String, Object> parameters() {
      Map<String, Object> parameters = null;
      while (peek() == ';') {
        pos++;
        skipSp();
        String key = key();
        Object value = Boolean.TRUE;
        if (peek() == '=') {
          pos++;
          value = bareItem();
        }
        if (parameters == null) {
          parameters = new LinkedHashMap<>();
        }
        parameters.put(key, value);
      }
      return parameters == null ? Collections.emptyMap() : Collections.unmodifiableMap(parameters);
    }

    private String key() {
      int start = pos;
      char first = peek();
      if (!(isLcAlpha(first) || first == '*')) {
        throw fail("expected a key (lower-case letter or '*')");
      }
      pos++;
      while (pos < end && isKeyChar(input.charAt(pos))) {
        pos++;
      }
      return input.substring(start, pos);
    }

    private Object number() {
      int start = pos;
      boolean negative = false;
      if (peek() == '-') {
        negative = true;
        pos++;
      }
      if (!isDigit(peek())) {
        throw fail("expected a digit");
      }
      int digitsStart = pos;
      int dot = -1;
      while (pos < end) {
        char c = input.charAt(pos);
        if (isDigit(c)) {
          pos++;
        } else if (c == '.' && dot < 0) {
          if (pos - digitsStart > 12) {
            throw fail("decimal with more than 12 integer digits");
          }
          dot = pos;
          pos++;
        } else {
          break;
        }
        int length = pos - digitsStart;
        if (dot < 0 && length > 15) {
          throw fail("integer with more than 15 digits");
        }
        if (dot >= 0 && length > 16) {
          throw fail("decimal too long");
        }
      }
      String text = input.substring(start, pos);
      if (dot < 0) {
        return Long.parseLong(text);
      }
      int fraction = pos - dot - 1;
      if (fraction == 0) {
        throw fail("decimal ends with '.'");
      }
      if (fraction > 3) {
        throw fail("decimal with more than 3 fractional digits");
      }
      BigDecimal value = new BigDecimal(text);
      return negative && value.signum() == 0 ? value.abs() : value;
    }

    private String string() {
      pos++; // '"'
      StringBuilder out = new StringBuilder();
      while (pos < end) {
        char c = input.charAt(pos++);
        if (c == '\\') {
          if (pos >= end) {
            throw fail("string ends with a backslash");
          }
          char escaped = input.charAt(pos++);
          if (escaped != '"' && escaped != '\\') {
            throw fail("invalid escape \\" + escaped + " in a string");
          }
          out.append(escaped);
        } else if (c == '"') {
          return out.toString();
        } else if (c < 0x20 || c > 0x7e) {
          throw fail("invalid character in a string");
        } else {
          out.append(c);
        }
      }
      throw fail("unterminated string");
    }

    private Token token() {
      int start = pos;
      pos++;
      while (pos < end && isTokenChar(input.charAt(pos))) {
        pos++;
      }
      return new Token(input.substring(start, pos));
    }

    private ByteSequence byteSequence() {
      pos++; // ':'
      int start = pos;
      while (pos < end && input.charAt(pos) != ':') {
        char c = input.charAt(pos);
        if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=')) {
          throw fail("invalid character in a byte sequence");
        }
        pos++;
      }
      if (pos >= end) {
        throw fail("unterminated byte sequence");
      }
      String base64 = input.substring(start, pos);
      pos++; // ':'
      try {
        return new ByteSequence(Base64.getDecoder().decode(base64));
      } catch (IllegalArgumentException e) {
        throw new SignatureFormatException("invalid base64 in a byte sequence: " + base64, e);
      }
    }

    private Boolean bool() {
      pos++; // '?'
      char c = peek();
      if (c == '1' || c == '0') {
        pos++;
        return c == '1';
      }
      throw fail("expected ?0 or ?1");
    }

    private char peek() {
      return pos < end ? input.charAt(pos) : '\0';
    }

    private void skipSp() {
      while (pos < end && input.charAt(pos) == ' ') {
        pos++;
      }
    }

    private void skipOws() {
      while (pos < end && (input.charAt(pos) == ' ' || input.charAt(pos) == '\t')) {
        pos++;
      }
    }

    private SignatureFormatException fail(String problem) {
      return new SignatureFormatException(
          "malformed structured field at index " + pos + ": " + problem);
    }
  }

  // ---------------------------------------------------------------- serialization (RFC 8941 §4.1)

  /** Serializes a Dictionary. */
  public static String serializeDictionary(Map<String, ? extends Member> dictionary) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, ? extends Member> entry : dictionary.entrySet()) {
      if (out.length() > 0) {
        out.append(", ");
      }
      appendKey(out, entry.getKey());
      Member member = entry.getValue();
      if (member instanceof Item && Boolean.TRUE.equals(((Item) member).value())) {
        appendParameters(out, member.parameters());
      } else {
        out.append('=');
        appendMember(out, member);
      }
    }
    return out.toString();
  }

  /** Serializes a List. */
  public static String serializeList(List<? extends Member> list) {
    StringBuilder out = new StringBuilder();
    for (Member member : list) {
      if (out.length() > 0) {
        out.append(", ");
      }
      appendMember(out, member);
    }
    return out.toString();
  }

  /** Serializes an Item or Inner List with its parameters. */
  public static String serializeMember(Member member) {
    StringBuilder out = new StringBuilder();
    appendMember(out, member);
    return out.toString();
  }

  /** Serializes an Item with its parameters. */
  public static String serializeItem(Item item) {
    return serializeMember(item);
  }

  static void appendMember(StringBuilder out, Member member) {
    if (member instanceof InnerList) {
      InnerList list = (InnerList) member;
      out.append('(');
      boolean first = true;
      for (Item item : list.items()) {
        if (!first) {
          out.append(' ');
        }
        first = false;
        appendMember(out, item);
      }
      out.append(')');
    } else {
      appendBareItem(out, ((Item) member).value());
    }
    appendParameters(out, member.parameters());
  }

  static void appendParameters(StringBuilder out, Map<String, Object> parameters) {
    for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
      out.append(';');
      appendKey(out, parameter.getKey());
      if (!Boolean.TRUE.equals(parameter.getValue())) {
        out.append('=');
        appendBareItem(out, parameter.getValue());
      }
    }
  }

  static void appendBareItem(StringBuilder out, Object value) {
    if (value instanceof Long) {
      out.append(((Long) value).longValue());
    } else if (value instanceof String) {
      String string = (String) value;
      out.append('"');
      for (int i = 0; i < string.length(); i++) {
        char c = string.charAt(i);
        if (c == '"' || c == '\\') {
          out.append('\\');
        }
        out.append(c);
      }
      out.append('"');
    } else if (value instanceof Token) {
      out.append(((Token) value).value());
    } else if (value instanceof ByteSequence) {
      out.append(':')
          .append(Base64.getEncoder().encodeToString(((ByteSequence) value).bytes))
          .append(':');
    } else if (value instanceof Boolean) {
      out.append((Boolean) value ? "?1" : "?0");
    } else if (value instanceof BigDecimal) {
      BigDecimal rounded = ((BigDecimal) value).setScale(3, RoundingMode.HALF_EVEN);
      if (rounded.abs().compareTo(new BigDecimal("999999999999.999")) > 0) {
        throw new SignatureFormatException("decimal out of range: " + value);
      }
      String plain = rounded.toPlainString();
      int cut = plain.length();
      while (plain.charAt(cut - 1) == '0' && plain.charAt(cut - 2) != '.') {
        cut--;
      }
      out.append(plain, 0, cut);
    } else {
      throw new SignatureFormatException("not a bare item: " + value);
    }
  }

  private static void appendKey(StringBuilder out, String key) {
    checkKey(key);
    out.append(key);
  }

  // ---------------------------------------------------------------- validation

  static Object checkBareItem(Object value) {
    if (value instanceof Integer) {
      value = Long.valueOf((Integer) value);
    }
    if (value instanceof Long) {
      long number = (Long) value;
      if (number > MAX_INTEGER || number < -MAX_INTEGER) {
        throw new SignatureFormatException("integer out of range: " + number);
      }
    } else if (value instanceof String) {
      String string = (String) value;
      for (int i = 0; i < string.length(); i++) {
        char c = string.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          throw new SignatureFormatException("string with a character outside visible ASCII");
        }
      }
    } else if (value instanceof BigDecimal) {
      BigDecimal decimal = (BigDecimal) value;
      if (decimal.setScale(3, RoundingMode.HALF_EVEN).abs().compareTo(new BigDecimal("1e12"))
          >= 0) {
        throw new SignatureFormatException("decimal out of range: " + decimal);
      }
    } else if (!(value instanceof Token
        || value instanceof ByteSequence
        || value instanceof Boolean)) {
      throw new SignatureFormatException(
          "not a bare item: " + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    return value;
  }

  static Map<String, Object> checkParameters(Map<String, ?> parameters) {
    if (parameters == null || parameters.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> entry : parameters.entrySet()) {
      checkKey(entry.getKey());
      copy.put(entry.getKey(), checkBareItem(entry.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }

  static void checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new SignatureFormatException("empty key");
    }
    char first = key.charAt(0);
    if (!(isLcAlpha(first) || first == '*')) {
      throw new SignatureFormatException("invalid key: " + key);
    }
    for (int i = 1; i < key.length(); i++) {
      if (!isKeyChar(key.charAt(i))) {
        throw new SignatureFormatException("invalid key: " + key);
      }
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLcAlpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isAlpha(char c) {
    return isLcAlpha(c) || (c >= 'A' && c <= 'Z');
  }

  private static boolean isKeyChar(char c) {
    return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
  }

  private static boolean isTokenStart(char c) {
    return isAlpha(c) || c == '*';
  }

  private static boolean isTokenChar(char c) {
    // tchar (RFC 9110) plus ':' and '/'
    if (isAlpha(c) || isDigit(c)) {
      return true;
    }
    switch (c) {
      case '!':
      case '#':
      case '$':
      case '%':
      case '&':
      case '\'':
      case '*':
      case '+':
      case '-':
      case '.':
      case '^':
      case '_':
      case '`':
      case '|':
      case '~':
      case ':':
      case '/':
        return true;
      default:
        return false;
    }
  }
}
