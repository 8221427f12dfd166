import { externalEgress } from "./egress.ts";
import { geoFencing } from "./geo-fencing.ts";
import { gpuNodes } from "./gpu.ts";
import { allowedRegistry, pinnedImage } from "./images.ts";
import { requestsWithinLimits } from "./resources.ts";
import type { PlacementRule } from "./rule.ts";
import { singleWriterStorage } from "./storage.ts";

/** Every rule synth applies to each workload placement before anything is rendered. */
export const PLACEMENT_RULES: readonly PlacementRule[] = [
  geoFencing,
  allowedRegistry,
  pinnedImage,
  gpuNodes,
  requestsWithinLimits,
  externalEgress,
  singleWriterStorage,
];
