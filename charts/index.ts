import type { App } from "cdk8s";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { ControllersChart } from "./controllers.ts";
import { FluxChart } from "./flux.ts";

/** Every chart of one cluster, each given the validated cluster (and the estate, for cross-cluster facts). */
export function buildCluster(app: App, cluster: Cluster, _estate: Estate): void {
  new FluxChart(app, cluster);
  new ControllersChart(app, cluster);
}
