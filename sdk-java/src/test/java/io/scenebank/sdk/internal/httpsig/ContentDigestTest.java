package io.scenebank.sdk.internal.httpsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** RFC 9530 Content-Digest; the examples are those of RFC 9530 Appendix B. */
class ContentDigestTest {

  private static final byte[] HELLO = "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void header_ofRfc9530Example_matchesPublishedDigests() {
    assertThat(ContentDigest.header(ContentDigest.SHA_256, HELLO))
        .isEqualTo("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
    assertThat(ContentDigest.header(ContentDigest.SHA_512, HELLO))
        .isEqualTo(
            "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:");
  }

  @Test
  void header_withUnsupportedAlgorithm_throws() {
    assertThatThrownBy(() -> ContentDigest.header("md5", HELLO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void check_whenDigestMatches_isOk() {
    assertThat(ContentDigest.check("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", HELLO))
        .isEqualTo(ContentDigest.Result.OK);
  }

  @Test
  void check_whenBodyDiffers_isMismatch() {
    assertThat(
            ContentDigest.check(
                "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
                "{\"hello\": \"world!\"}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(ContentDigest.Result.MISMATCH);
  }

  @Test
  void check_withSeveralAlgorithms_allSupportedMustMatch() {
    String good256 = "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:";
    String bad512 = "sha-512=:AAAA:";

    assertThat(ContentDigest.check("md5=:AAAA:, " + good256, HELLO))
        .isEqualTo(ContentDigest.Result.OK);
    assertThat(ContentDigest.check(good256 + ", " + bad512, HELLO))
        .isEqualTo(ContentDigest.Result.MISMATCH);
    assertThat(ContentDigest.check(Arrays.asList(good256, bad512), HELLO))
        .isEqualTo(ContentDigest.Result.MISMATCH);
  }

  @Test
  void check_whenOnlyUnsupportedAlgorithms_isUnsupported() {
    assertThat(ContentDigest.check("md5=:AAAA:, unixsum=:AAAA:", HELLO))
        .isEqualTo(ContentDigest.Result.UNSUPPORTED_ALGORITHM);
  }

  @Test
  void check_whenAbsent_isMissing() {
    assertThat(ContentDigest.check((String) null, HELLO)).isEqualTo(ContentDigest.Result.MISSING);
    assertThat(ContentDigest.check(Collections.emptyList(), HELLO))
        .isEqualTo(ContentDigest.Result.MISSING);
    assertThat(ContentDigest.check("", HELLO)).isEqualTo(ContentDigest.Result.MISSING);
  }

  @Test
  void check_whenNotDictionaryOfByteSequences_isMalformed() {
    assertThat(ContentDigest.check("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", HELLO))
        .isEqualTo(ContentDigest.Result.MALFORMED);
    assertThat(ContentDigest.check("sha-256=\"abc\"", HELLO))
        .isEqualTo(ContentDigest.Result.MALFORMED);
    assertThat(ContentDigest.check("sha-256=:X48E9q:,", HELLO))
        .isEqualTo(ContentDigest.Result.MALFORMED);
  }

  @Test
  void check_ofEmptyBody_usesDigestOfNoBytes() {
    String empty = ContentDigest.header(ContentDigest.SHA_256, new byte[0]);

    assertThat(empty).isEqualTo("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:");
    assertThat(ContentDigest.check(empty, new byte[0])).isEqualTo(ContentDigest.Result.OK);
  }
}
