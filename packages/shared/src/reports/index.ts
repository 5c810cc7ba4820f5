export {
  GRANULARITIES,
  type Granularity,
  isValidTimeZone,
  localDate,
  MAX_PERIODS,
  type Period,
  type PeriodParams,
  type PeriodResult,
  reportPeriods,
} from "./periods";
export { bucketKey, type Grain, ROLLUP_GRAINS, type RollupGrain, type Segment, segments } from "./segments";
