package io.scenebank.gateway.canteen;

import io.scenebank.gateway.http.Problem;

/**
 * Whether an employee may be enrolled in a programme, decided from plain values read under the
 * programme's lock: the programme must be active, the employee not enrolled in it yet, and the
 * payer account (the employee's own funds) known.
 */
final class EnrolmentRules {

  private EnrolmentRules() {}

  /** The programme and the payer account as read. */
  record State(
      String programmeId,
      String status,
      String employeeRef,
      String enrolledAs,
      String payerAccount,
      boolean payerFound) {}

  /** What to do. */
  sealed interface Decision {}

  /** Enrol the employee, with a new wallet. */
  record Enrol() implements Decision {}

  /** Enrol nobody; answer with the problem. */
  record Refuse(Problem problem) implements Decision {}

  static Decision decide(State state) {
    if (!"ACTIVE".equals(state.status())) {
      return new Refuse(
          Problem.conflict(
              "programme_not_active", "Programme " + state.programmeId() + " is CLOSED."));
    }
    if (state.enrolledAs() != null) {
      return new Refuse(
          Problem.conflict(
              "employee_already_enrolled",
              "Employee "
                  + state.employeeRef()
                  + " is already enrolled ("
                  + state.enrolledAs()
                  + ")."));
    }
    if (!state.payerFound()) {
      return new Refuse(Problem.notFound("No payer account " + state.payerAccount() + "."));
    }
    return new Enrol();
  }
}
