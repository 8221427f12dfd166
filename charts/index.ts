import type { App } from "cdk8s";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { AiChart } from "./ai.ts";
import { AutoscalingChart } from "./autoscaling.ts";
import { ControllersChart } from "./controllers.ts";
import { DataChart } from "./data.ts";
import { FluxChart } from "./flux.ts";
import { GatewaysChart } from "./gateways.ts";
import { IdentityChart } from "./identity.ts";
import { ManagementChart } from "./management.ts";
import { NetworkChart } from "./network.ts";
import { ObservabilityChart } from "./observability.ts";
import { PkiChart } from "./pki.ts";
import { PoliciesChart } from "./policies.ts";
import { RbacChart } from "./rbac.ts";
import { SecretsChart } from "./secrets.ts";
import { WorkloadsChart } from "./workloads.ts";

/** Every chart of one cluster, each given the validated cluster (and the estate, for cross-cluster facts). */
export function buildCluster(app: App, cluster: Cluster, estate: Estate): void {
  new FluxChart(app, cluster);
  new ControllersChart(app, cluster, estate);
  new AutoscalingChart(app, cluster);
  new PkiChart(app, cluster);
  new PoliciesChart(app, cluster);
  new WorkloadsChart(app, cluster, estate);
  new GatewaysChart(app, cluster, estate);
  new AiChart(app, cluster);
  new DataChart(app, cluster, estate);
  new IdentityChart(app, cluster, estate);
  new ObservabilityChart(app, cluster, estate);
  new ManagementChart(app, cluster, estate);
  new NetworkChart(app, cluster, estate);
  new RbacChart(app, cluster, estate);
  new SecretsChart(app, cluster, estate);
}
