export { PlanError, type PlanErrorCode } from "./errors";
export {
  buildSchedule,
  installmentCount,
  type Schedule,
  type ScheduledInstallment,
  type ScheduleInput,
} from "./schedule";
