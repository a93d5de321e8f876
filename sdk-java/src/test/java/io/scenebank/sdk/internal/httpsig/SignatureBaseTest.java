package io.scenebank.sdk.internal.httpsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureBaseTest {

  private static String line(String component, Message message) {
    ComponentIdentifier identifier = ComponentIdentifier.parse(component);
    String base = SignatureBase.build(List.of(identifier), "()", message);
    return base.substring(0, base.lastIndexOf('\n'));
  }

  private static Message get(String uri) {
    return Message.request("GET", uri).build();
  }

  @Test
  void derivedComponents_ofRequest_followRfc9421() {
    Message message =
        get("HTTPS://WWW.Example.com:443/path/%7Ea?param=value&foo=bar&baz=bat%2Dman");

    assertThat(line("\"@method\"", message)).isEqualTo("\"@method\": GET");
    assertThat(line("\"@target-uri\"", message))
        .isEqualTo(
            "\"@target-uri\": HTTPS://WWW.Example.com:443/path/%7Ea?param=value&foo=bar&baz=bat%2Dman");
    assertThat(line("\"@authority\"", message)).isEqualTo("\"@authority\": www.example.com");
    assertThat(line("\"@scheme\"", message)).isEqualTo("\"@scheme\": https");
    assertThat(line("\"@path\"", message)).isEqualTo("\"@path\": /path/%7Ea");
    assertThat(line("\"@query\"", message))
        .isEqualTo("\"@query\": ?param=value&foo=bar&baz=bat%2Dman");
    assertThat(line("\"@request-target\"", message))
        .isEqualTo("\"@request-target\": /path/%7Ea?param=value&foo=bar&baz=bat%2Dman");
  }

  @Test
  void authority_withNonDefaultPortAndUserInfo_keepsPortDropsUserInfo() {
    assertThat(line("\"@authority\"", get("http://user:pw@Example.com:8080/")))
        .isEqualTo("\"@authority\": example.com:8080");
    assertThat(line("\"@authority\"", get("http://example.com:80/")))
        .isEqualTo("\"@authority\": example.com");
    assertThat(line("\"@authority\"", get("https://[::1]:8443/x")))
        .isEqualTo("\"@authority\": [::1]:8443");
  }

  @Test
  void pathAndQuery_whenAbsent_areSlashAndQuestionMark() {
    Message message = get("https://example.com");

    assertThat(line("\"@path\"", message)).isEqualTo("\"@path\": /");
    assertThat(line("\"@query\"", message)).isEqualTo("\"@query\": ?");
    assertThat(line("\"@request-target\"", message)).isEqualTo("\"@request-target\": /");
  }

  @Test
  void queryParam_isDecodedAndReencoded() {
    Message message =
        get(
            "https://example.com/p?param=value&foo=bar&baz=batman&qux="
                + "&var=this%20is%20a%20big%0Avalue&bar=with+plus+whitespace"
                + "&fa%C3%A7ade%22%3A%20=something");

    assertThat(line("\"@query-param\";name=\"baz\"", message))
        .isEqualTo("\"@query-param\";name=\"baz\": batman");
    assertThat(line("\"@query-param\";name=\"qux\"", message))
        .isEqualTo("\"@query-param\";name=\"qux\": ");
    assertThat(line("\"@query-param\";name=\"var\"", message))
        .isEqualTo("\"@query-param\";name=\"var\": this%20is%20a%20big%0Avalue");
    assertThat(line("\"@query-param\";name=\"bar\"", message))
        .isEqualTo("\"@query-param\";name=\"bar\": with%20plus%20whitespace");
    assertThat(line("\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\"", message))
        .isEqualTo("\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\": something");
  }

  @Test
  void queryParam_repeated_givesOneLinePerValue() {
    assertThat(line("\"@query-param\";name=\"a\"", get("https://e.example/?a=1&b=2&a=3")))
        .isEqualTo("\"@query-param\";name=\"a\": 1\n\"@query-param\";name=\"a\": 3");
  }

  @Test
  void queryParam_whenAbsent_throwsMissingComponent() {
    assertThatThrownBy(() -> line("\"@query-param\";name=\"x\"", get("https://e.example/?a=1")))
        .isInstanceOf(MissingComponentException.class);
  }

  @Test
  void status_ofResponse_isThreeDigits() {
    assertThat(line("\"@status\"", Message.response(204, null).build()))
        .isEqualTo("\"@status\": 204");
  }

  @Test
  void fields_withSeveralLines_areTrimmedAndJoined() {
    Message message =
        Message.request("GET", "https://example.com/")
            .header("Cache-Control", "   max-age=60  ")
            .header("cache-control", "must-revalidate")
            .header("X-Empty-Header", "")
            .header("X-Obs-Fold", "Obsolete\r\n    line folding.")
            .build();

    assertThat(line("\"cache-control\"", message))
        .isEqualTo("\"cache-control\": max-age=60, must-revalidate");
    assertThat(line("\"x-empty-header\"", message)).isEqualTo("\"x-empty-header\": ");
    assertThat(line("\"x-obs-fold\"", message)).isEqualTo("\"x-obs-fold\": Obsolete line folding.");
  }

  @Test
  void dictionaryFields_withKeyOrSf_areReserialized() {
    Message message =
        Message.request("GET", "https://example.com/")
            .header("Signature", "  sig1=:AAEC: ,sig2=:AwQ=:;x=1")
            .header("Content-Digest", "sha-256=:AAAA:,   sha-512=:AQID:")
            .build();

    assertThat(line("\"signature\";key=\"sig2\"", message))
        .isEqualTo("\"signature\";key=\"sig2\": :AwQ=:;x=1");
    assertThat(line("\"content-digest\";sf", message))
        .isEqualTo("\"content-digest\";sf: sha-256=:AAAA:, sha-512=:AQID:");
    assertThatThrownBy(() -> line("\"signature\";key=\"sig3\"", message))
        .isInstanceOf(MissingComponentException.class);
  }

  @Test
  void sf_onFieldOfUnknownType_throwsFormatError() {
    Message message = Message.request("GET", "https://e.example/").header("X-A", "b").build();

    assertThatThrownBy(() -> line("\"x-a\";sf", message))
        .isInstanceOf(SignatureFormatException.class);
  }

  @Test
  void bs_wrapsEachLineAsByteSequence() {
    Message message =
        Message.request("GET", "https://e.example/")
            .header("Example-Header", "value, with, lots")
            .header("Example-Header", "of, commas")
            .build();

    assertThat(line("\"example-header\";bs", message))
        .isEqualTo("\"example-header\";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:");
  }

  @Test
  void req_onRequest_throwsFormatError() {
    assertThatThrownBy(() -> line("\"@method\";req", get("https://e.example/")))
        .isInstanceOf(SignatureFormatException.class);
  }

  @Test
  void req_onResponseWithoutRequest_throwsMissingComponent() {
    assertThatThrownBy(() -> line("\"@method\";req", Message.response(200, null).build()))
        .isInstanceOf(MissingComponentException.class);
  }

  @Test
  void requestComponent_onResponse_throwsFormatError() {
    assertThatThrownBy(() -> line("\"@method\"", Message.response(200, null).build()))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> line("\"@status\"", get("https://e.example/")))
        .isInstanceOf(SignatureFormatException.class);
  }

  @Test
  void unknownDerivedComponentOrParameter_throwsFormatError() {
    assertThatThrownBy(() -> line("\"@nope\"", get("https://e.example/")))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> ComponentIdentifier.parse("\"@method\";foo"))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> line("\"@method\";sf", get("https://e.example/")))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> ComponentIdentifier.parse("\"Content-Type\""))
        .isInstanceOf(SignatureFormatException.class);
  }

  @Test
  void missingField_throwsMissingComponentWithItsName() {
    assertThatThrownBy(() -> line("\"authorization\"", get("https://e.example/")))
        .isInstanceOf(MissingComponentException.class)
        .hasMessageContaining("\"authorization\"");
  }

  @Test
  void fieldValueWithLineBreak_isRefused() {
    Message message =
        Message.request("GET", "https://e.example/")
            .header("X-Injected", "a\n\"@method\": GET")
            .build();

    assertThatThrownBy(() -> line("\"x-injected\"", message))
        .isInstanceOf(SignatureFormatException.class);
  }

  @Test
  void build_withDuplicateOrSignatureParamsComponent_throwsFormatError() {
    List<ComponentIdentifier> duplicate =
        Arrays.asList(ComponentIdentifier.of("@method"), ComponentIdentifier.of("@method"));

    assertThatThrownBy(() -> SignatureBase.build(duplicate, "()", get("https://e.example/")))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> SignatureInput.parseField("sig1=(\"@method\" \"@method\");created=1"))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> SignatureInput.parseField("sig1=(\"@signature-params\")"))
        .isInstanceOf(SignatureFormatException.class);
  }

  @Test
  void build_endsWithSignatureParamsLineWithoutNewline() {
    String base =
        SignatureBase.build(
            List.of(ComponentIdentifier.of("@method")),
            "(\"@method\");created=1",
            get("https://e.example/"));

    assertThat(base).isEqualTo("\"@method\": GET\n\"@signature-params\": (\"@method\");created=1");
  }

  @Test
  void signatureInput_parse_exposesParametersAndKeepsUnknownOnes() {
    SignatureInput input =
        SignatureInput.parseField(
                "sig1=(\"@method\" \"signature\";req;key=\"sig1\");created=1;expires=2"
                    + ";nonce=\"n\";keyid=\"k\";alg=\"ed25519\";tag=\"t\";custom=?1")
            .get("sig1");

    assertThat(input.components())
        .extracting(ComponentIdentifier::serialized)
        .containsExactly("\"@method\"", "\"signature\";req;key=\"sig1\"");
    assertThat(input.created()).hasValue(1L);
    assertThat(input.expires()).hasValue(2L);
    assertThat(input.nonce()).contains("n");
    assertThat(input.keyId()).contains("k");
    assertThat(input.alg()).contains("ed25519");
    assertThat(input.tag()).contains("t");
    assertThat(input.parameters()).containsEntry("custom", true);
    assertThat(input.signatureParamsValue())
        .isEqualTo(
            "(\"@method\" \"signature\";req;key=\"sig1\");created=1;expires=2;nonce=\"n\""
                + ";keyid=\"k\";alg=\"ed25519\";tag=\"t\";custom");
  }

  @Test
  void signatureInput_withWrongParameterTypes_isRefused() {
    assertThatThrownBy(() -> SignatureInput.parseField("sig1=();created=\"1\""))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> SignatureInput.parseField("sig1=();keyid=k"))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> SignatureInput.parseField("sig1=\"@method\""))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> SignatureInput.parseField("sig1=(@method)"))
        .isInstanceOf(SignatureFormatException.class);
  }
}
