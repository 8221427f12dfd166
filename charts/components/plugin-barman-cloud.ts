import { barmanPluginConnections } from "../../lib/connections/platform.ts";
import { mirror } from "../../lib/images.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { resources } from "../../lib/k8s/pod-defaults.ts";
import { CERT_MANAGER_NAMESPACE, CNPG_NAMESPACE } from "../../lib/platform.ts";

/**
 * Database backups: CloudNativePG's Barman Cloud plugin, in the operator's namespace. It talks to the
 * operator over mTLS with certificates from cert-manager.
 */
export const pluginBarmanCloud: PlatformComponent = {
  name: "plugin-barman-cloud",
  chart: "plugin-barman-cloud",
  namespace: CNPG_NAMESPACE,
  layer: "controllers",
  dependsOn: [
    { name: "cloudnative-pg", namespace: CNPG_NAMESPACE },
    { name: "cert-manager", namespace: CERT_MANAGER_NAMESPACE },
  ],
  values: (cluster) => ({
    image: { registry: mirror(cluster, "ghcr.io") },
    sidecarImage: { registry: mirror(cluster, "ghcr.io") },
    resources: resources(["50m", "500m"], ["64Mi", "256Mi"]),
  }),
  singletons: {
    "plugin-barman-cloud": "archives WAL asynchronously; PostgreSQL keeps WAL until it is back",
  },
  connections: barmanPluginConnections,
  operates: [
    {
      kind: "barmancloud.cnpg.io/ObjectStore",
      creates: { noPods: "where the plugin's sidecar in the instance pods (the Cluster's model) archives" },
    },
  ],
};
