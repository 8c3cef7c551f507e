// Public API of the demo-data generator. Data design and calibration notes: profiles.ts.
export { generateDataset, DEFAULT_CHUNK_CUSTOMERS } from "./generate";
export type { DatasetSink, GenerateStats } from "./generate";
export { writeDataset, DATASET_FILES } from "./write-dataset";
export type { GenerateSummary, WriteDatasetOptions } from "./write-dataset";
export { datasetToInstance, InstanceBuilder } from "./instance-builder";
export type { InMemoryDataset } from "./instance-builder";
export { ConstraintResolutionError } from "../domain/resolution-error";
export { resolveConstraints } from "../services/resolve-constraints";
export type { ConstraintContext } from "../services/resolve-constraints";
export { buildDatasetSpec } from "./spec";
export type {
  ChannelSpec,
  DatasetOptions,
  DatasetOptions as GenerateOptions,
  DatasetSpec,
  OfferSpec,
} from "./spec";
export type { CustomerRecord, ScoreRows } from "./customer-stream";
export { PROFILE_NAMES, getProfile } from "./profiles";
export type { ProfileName, Profile } from "./profiles";
