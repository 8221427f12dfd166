import type { App } from "cdk8s";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import type { Platform } from "../lib/synth/render.ts";
import { PLATFORM_COMPONENTS } from "./components/index.ts";
import { ComponentsChart } from "./components.ts";
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
  new ComponentsChart(app, cluster, estate);
  new PkiChart(app, cluster);
  new PoliciesChart(app, cluster);
  new WorkloadsChart(app, cluster, estate);
  new GatewaysChart(app, cluster, estate);
  new DataChart(app, cluster, estate);
  new IdentityChart(app, cluster, estate);
  new ObservabilityChart(app, cluster, estate);
  new ManagementChart(app, cluster, estate);
  new NetworkChart(app, cluster, estate);
  new RbacChart(app, cluster, estate);
  new SecretsChart(app, cluster, estate);
}

/** What the command entries hand to lib/: these charts and the components they install. */
export const PLATFORM: Platform = { build: buildCluster, components: PLATFORM_COMPONENTS };
