package io.scenebank.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one way a request body becomes JSON: exactly one value, in UTF-8 without a byte-order mark,
 * no comments, no key twice in one object, at most {@value #MAX_DEPTH} levels and {@value
 * #MAX_VALUES} values, no string longer than {@value #MAX_STRING} characters, and no control
 * character or unpaired surrogate in any string or key. It reads the body once, in a single pass,
 * and gives up at the first fault, so a hostile body costs little more than its bytes.
 */
public final class StrictJson {

  static final int MAX_DEPTH = 32;
  static final int MAX_VALUES = 10_000;
  static final int MAX_STRING = 16_384;

  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** Why a body was refused: not JSON as the contract takes it, or a bad string at a pointer. */
  public static final class Refused extends Exception {
    private final String pointer;

    Refused(String message, String pointer) {
      super(message, null, false, false);
      this.pointer = pointer;
    }

    /** The JSON pointer of a string with a forbidden character; null if the body is malformed. */
    public String pointer() {
      return pointer;
    }
  }

  private StrictJson() {}

  /** The body as a {@link JsonObject}, {@link JsonArray}, string, number, boolean or null. */
  public static Object parse(Buffer body) throws Refused {
    byte[] bytes = body.getBytes();
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      throw new Refused("The request body starts with a byte-order mark.", null);
    }
    String text = utf8(bytes);
    try (JsonParser parser = FACTORY.createParser(text)) {
      Reader reader = new Reader(parser);
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new Refused("The request body is empty.", null);
      }
      Object value = reader.value(first);
      if (parser.nextToken() != null) {
        throw new Refused("The request body holds more than one JSON value.", null);
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new Refused(
          "The request body is not well-formed JSON: " + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw new Refused("The request body could not be read.", null);
    }
  }

  /** Whether {@code s} holds a control character or an unpaired surrogate (see the class). */
  public static boolean hasForbiddenCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        return true;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static String utf8(byte[] bytes) throws Refused {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new Refused("The request body is not UTF-8.", null);
    }
  }

  /** Builds the value while counting values and depth and checking every string. */
  private static final class Reader {
    private final JsonParser parser;
    private final Deque<String> path = new ArrayDeque<>();
    private int values;

    Reader(JsonParser parser) {
      this.parser = parser;
    }

    Object value(JsonToken token) throws IOException, Refused {
      if (++values > MAX_VALUES) {
        throw new Refused("The request body holds more than " + MAX_VALUES + " values.", null);
      }
      return switch (token) {
        case START_OBJECT -> object();
        case START_ARRAY -> array();
        case VALUE_STRING -> string(parser.getText());
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        case VALUE_NULL -> null;
        default -> throw new Refused("The request body is not well-formed JSON.", null);
      };
    }

    private JsonObject object() throws IOException, Refused {
      enter();
      JsonObject object = new JsonObject();
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        path.addLast(escape(name));
        if (name.length() > MAX_STRING) {
          throw new Refused("is a key longer than " + MAX_STRING + " characters", null);
        }
        if (hasForbiddenCharacter(name)) {
          throw forbidden();
        }
        object.put(name, value(parser.nextToken()));
        path.removeLast();
      }
      if (token != JsonToken.END_OBJECT) {
        throw new Refused("The request body is not well-formed JSON.", null);
      }
      return object;
    }

    private JsonArray array() throws IOException, Refused {
      enter();
      JsonArray array = new JsonArray();
      JsonToken token;
      int index = 0;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token == null) {
          throw new Refused("The request body is not well-formed JSON.", null);
        }
        path.addLast(Integer.toString(index++));
        array.add(value(token));
        path.removeLast();
      }
      return array;
    }

    private void enter() throws Refused {
      if (path.size() >= MAX_DEPTH) {
        throw new Refused("The request body is nested deeper than " + MAX_DEPTH + " levels.", null);
      }
    }

    private String string(String s) throws Refused {
      if (s.length() > MAX_STRING) {
        String pointer = "/" + String.join("/", path);
        throw new Refused("is longer than " + MAX_STRING + " characters", pointer);
      }
      if (hasForbiddenCharacter(s)) {
        throw forbidden();
      }
      return s;
    }

    private Refused forbidden() {
      String pointer = path.isEmpty() ? "" : "/" + String.join("/", path);
      return new Refused(
          "contains a control character or an unpaired surrogate, which no field accepts", pointer);
    }

    private static String escape(String name) {
      return name.replace("~", "~0").replace("/", "~1");
    }
  }
}
