import { int, type Env } from "../env.js";

export interface AppointmentsConfig {
  /** How long before an appointment starts both parties get a reminder (a notification in the app). */
  appointmentReminderMs: number;
}

/** `API_APPOINTMENT_REMINDER_MINUTES`: default 60 (a reminder an hour ahead), 1 to 10,080 (a week). */
export function appointmentsConfig(env: Env): AppointmentsConfig {
  return { appointmentReminderMs: int(env, "API_APPOINTMENT_REMINDER_MINUTES", 60, 1, 10_080) * 60_000 };
}
