import { cnpgInstanceEndpoints } from "../../lib/connections/metrics.ts";
import { cnpgOperatorConnections } from "../../lib/connections/platform.ts";
import { mirror } from "../../lib/images.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { resources } from "../../lib/k8s/pod-defaults.ts";
import { CNPG_NAMESPACE } from "../../lib/platform.ts";

/** The CloudNativePG operator: every PostgreSQL Cluster of the estate (charts/data.ts, identity). */
export const cloudnativePg: PlatformComponent = {
  name: "cloudnative-pg",
  chart: "cloudnative-pg",
  namespace: CNPG_NAMESPACE,
  ownNamespace: {
    holds: "the CloudNativePG operator and its Barman Cloud plugin",
    podSecurity: "restricted",
  },
  layer: "controllers",
  values: (cluster) => ({
    image: { repository: mirror(cluster, "ghcr.io/cloudnative-pg/cloudnative-pg") },
    resources: resources(["100m", "1"], ["256Mi", "512Mi"]),
  }),
  singletons: { "cloudnative-pg": "leader-elected operator; the databases run without it" },
  connections: cnpgOperatorConnections,
  // Every instance the operator runs exports its PostgreSQL metrics on 9187.
  metrics: cnpgInstanceEndpoints,
  operates: [
    { kind: "postgresql.cnpg.io/Cluster", creates: "modeled" },
    ...["Publication", "Subscription"].map((kind) => ({
      kind: `postgresql.cnpg.io/${kind}`,
      creates: { noPods: "SQL the operator runs in the Cluster's instances" },
    })),
    {
      kind: "postgresql.cnpg.io/ScheduledBackup",
      creates: { noPods: "Backups on schedule, taken inside the instance pods (the Cluster's model)" },
    },
  ],
};
