export { PlanError, type PlanErrorCode } from "./errors";
export {
  buildSchedule,
  instalmentCount,
  type Schedule,
  type ScheduledInstalment,
  type ScheduleInput,
} from "./schedule";
