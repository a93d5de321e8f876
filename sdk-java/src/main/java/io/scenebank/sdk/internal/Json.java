package io.scenebank.sdk.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strict JSON objects for keys and tokens: duplicate member names and trailing content are
 * rejected, members keep their order.
 */
public final class Json {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final TypeReference<LinkedHashMap<String, Object>> OBJECT =
      new TypeReference<LinkedHashMap<String, Object>>() {};

  private Json() {}

  /**
   * Parses a JSON object.
   *
   * @throws IllegalArgumentException if the text is not one JSON object
   */
  public static Map<String, Object> parseObject(byte[] json) {
    try {
      Map<String, Object> value = MAPPER.readValue(json, OBJECT);
      if (value == null) {
        throw new IllegalArgumentException("not a JSON object: null");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON object: " + firstLine(e.getMessage()), e);
    }
  }

  /** Serializes a map (and the lists, maps, strings, numbers and booleans in it) compactly. */
  public static String write(Map<String, ?> object) {
    try {
      return MAPPER.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
