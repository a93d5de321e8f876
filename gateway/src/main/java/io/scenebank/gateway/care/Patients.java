package io.scenebank.gateway.care;

import io.scenebank.gateway.security.SecretBox;
import io.scenebank.gateway.support.Masking;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Patients' personal data (ID number, name, phone): sealed at rest with AES-256-GCM under the
 * master key, bound to the consent it belongs to, and only ever shown masked. Nothing here logs.
 */
final class Patients {

  /** A patient as the hospital identified them. Its toString never shows the data. */
  record Patient(String idNumber, String name, String phone) {

    static Patient of(JsonObject input) {
      return new Patient(
          input.getString("id_number").toUpperCase(java.util.Locale.ROOT),
          input.getString("name"),
          input.getString("phone"));
    }

    @Override
    public String toString() {
      return "Patient[" + masked().encode() + "]";
    }

    /** The masked form: {@code 1101**********123X}, {@code 张*}, {@code 138****0011}. */
    JsonObject masked() {
      return new JsonObject()
          .put(
              "id_number_masked",
              idNumber.substring(0, 4) + "*".repeat(10) + idNumber.substring(14))
          .put("name_masked", Masking.name(name))
          .put("phone_masked", Masking.phone(phone));
    }
  }

  private final SecretBox box;

  Patients(SecretBox box) {
    this.box = box;
  }

  /** Seals the patient for the consent {@code consentId}. */
  byte[] seal(Patient patient, String consentId) {
    JsonObject plain =
        new JsonObject()
            .put("id_number", patient.idNumber())
            .put("name", patient.name())
            .put("phone", patient.phone());
    return box.seal(plain.encode().getBytes(StandardCharsets.UTF_8), context(consentId));
  }

  /** Opens what {@link #seal} sealed for the same consent. */
  Patient open(byte[] sealed, String consentId) {
    JsonObject plain =
        new JsonObject(new String(box.open(sealed, context(consentId)), StandardCharsets.UTF_8));
    return new Patient(
        plain.getString("id_number"), plain.getString("name"), plain.getString("phone"));
  }

  private static String context(String consentId) {
    return "care.patient:" + consentId;
  }
}
