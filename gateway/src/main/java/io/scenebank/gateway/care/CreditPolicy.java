package io.scenebank.gateway.care;

import io.scenebank.gateway.care.Patients.Patient;
import java.util.Map;

/**
 * The bank's credit decision for a pay-after-care line, from the patient's credit profile. The
 * sandbox's fixture patients (ID numbers starting 999999) have known profiles; every other patient
 * is {@code GOOD}. The bank's credit bureau connection would replace {@link #profileOf}.
 */
final class CreditPolicy {

  enum Profile {
    GOOD,
    THIN_FILE,
    DECLINED,
    FROZEN
  }

  /** A decision: the profile, whether approved, and the limit granted. */
  record Decision(Profile profile, boolean approved, long limit, String reason) {}

  /** The most a {@code GOOD} profile gets, in fen (¥5,000); also the standard limit. */
  static final long GOOD_LIMIT = 500_000;

  /** What a thin credit file gets (¥1,000). */
  static final long THIN_FILE_LIMIT = 100_000;

  /** The limit of a line opened frozen (¥3,000). */
  static final long FROZEN_LIMIT = 300_000;

  /** The sandbox's fixture patients: ID number → name, phone, profile. */
  static final Map<String, Object[]> FIXTURES =
      Map.of(
          "999999199001010011", new Object[] {"张三", "13800000011", Profile.GOOD},
          "999999199505050022", new Object[] {"李四", "13800000012", Profile.THIN_FILE},
          "999999198803030033", new Object[] {"王五", "13800000013", Profile.DECLINED},
          "99999919770707004X", new Object[] {"钱七", "13800000014", Profile.FROZEN});

  Profile profileOf(Patient patient) {
    Object[] fixture = FIXTURES.get(patient.idNumber());
    return fixture == null ? Profile.GOOD : (Profile) fixture[2];
  }

  /** Decides on a line for the patient; {@code requested} is the hospital's ask, or null. */
  Decision decide(Patient patient, Long requested) {
    Profile profile = profileOf(patient);
    return switch (profile) {
      case GOOD ->
          new Decision(
              profile,
              true,
              requested == null ? GOOD_LIMIT : Math.min(requested, GOOD_LIMIT),
              "Approved with the requested limit, at most ¥5,000.");
      case THIN_FILE ->
          new Decision(
              profile,
              true,
              requested == null ? THIN_FILE_LIMIT : Math.min(requested, THIN_FILE_LIMIT),
              "Thin credit file: approved with a lower limit.");
      case FROZEN ->
          new Decision(
              profile,
              true,
              requested == null ? FROZEN_LIMIT : Math.min(requested, FROZEN_LIMIT),
              "The patient's credit profile is frozen: the line opens FROZEN.");
      case DECLINED -> new Decision(profile, false, 0, "The credit decision is DECLINED.");
    };
  }
}
