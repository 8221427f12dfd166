import type { Construct } from "constructs";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { mirror } from "../images.ts";
import type { Cluster } from "../inventory/model.ts";
import { addModel } from "../k8s/model-object.ts";
import { podSecurityOf } from "../namespaces/registry.ts";
import { RANCHER_NAMESPACE } from "../platform.ts";
import {
  AGENT_CREDENTIALS,
  AGENT_MAX_UNAVAILABLE,
  AGENT_RESOURCES,
  caChecksum,
  rancherUrl,
} from "./rancher.ts";

const AGENT = "cattle-cluster-agent";
const SERVICE_ACCOUNT = "cattle";

/**
 * The features Rancher gives an imported RKE2 cluster's agent (pkg/systemtemplate GetDesiredFeatures,
 * written as toFeatureString: sorted, `name=bool`): an agent, not a server; no Fleet, provisioning or
 * Turtles; no managed system-upgrade-controller while imported-cluster version management is off on
 * the server; the SQL cache as the server has it (on by default).
 */
const AGENT_FEATURES = Object.entries({
  fleet: false,
  "managed-system-upgrade-controller": false,
  "multi-cluster-management": false,
  "multi-cluster-management-agent": true,
  provisioningprebootstrap: false,
  provisioningv2: false,
  rke2: false,
  turtles: false,
  "ui-sql-cache": true,
})
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([name, on]) => `${name}=${on}`)
  .join(",");
const AGENT_PDB = "cattle-cluster-agent-pod-disruption-budget";

/**
 * What Rancher's import command would apply to a managed cluster (rancher/rancher v2.14.4,
 * pkg/systemtemplate/template.go), owned by Flux instead: cattle-system, the `cattle` account bound
 * to `cattle-admin` (every verb on every resource: Rancher manages the cluster through it) and the
 * agent, which dials out to the server and keeps a
 * tunnel open (nothing dials in). Without the local-cluster-auth endpoint (no kube-api-auth
 * DaemonSet on the host network) and without a registry Secret (the mirror needs none). The
 * template's binding of the User `kube-apiserver` to node proxies is left to Rancher's own apply on
 * connecting: a User binding is refused on production clusters (rule no-human-access-in-prod).
 */
export function rancherAgent(scope: Construct, cluster: Cluster, home: Cluster, version: string): void {
  rancherNamespace(scope);
  agentAccess(scope);
  addModel(scope, agentDeployment(cluster, home, version));
  // Rancher's own name and selector (pkg/systemtemplate), and the Cluster's schedulingCustomization.
  addModel(
    scope,
    new PodDisruptionBudget({
      metadata: { name: AGENT_PDB, namespace: RANCHER_NAMESPACE },
      spec: { maxUnavailable: AGENT_MAX_UNAVAILABLE, selector: { matchLabels: { app: AGENT } } },
    }),
  );
  addModel(
    scope,
    new Service({
      metadata: { name: AGENT, namespace: RANCHER_NAMESPACE },
      spec: {
        selector: { app: AGENT },
        ports: [
          { name: "http", port: 80, targetPort: 80, protocol: "TCP" },
          { name: "https-internal", port: 443, targetPort: 444, protocol: "TCP" },
        ],
      },
    }),
  );
}

/** The agent's account and roles, named as Rancher names them so its own apply finds the same objects. */
/** cattle-system, on the management home (the server's) and on every managed cluster (the agent's). */
export function rancherNamespace(scope: Construct): void {
  addModel(
    scope,
    new Namespace({
      metadata: {
        name: RANCHER_NAMESPACE,
        labels: {
          "pod-security.kubernetes.io/enforce": podSecurityOf(RANCHER_NAMESPACE),
          "pod-security.kubernetes.io/enforce-version": "latest",
        },
      },
    }),
  );
}

function agentAccess(scope: Construct): void {
  addModel(scope, new ServiceAccount({ metadata: { name: SERVICE_ACCOUNT, namespace: RANCHER_NAMESPACE } }));
  const creator = { "cattle.io/creator": "norman" };
  addModel(
    scope,
    new ClusterRole({
      metadata: { name: "cattle-admin", labels: creator },
      rules: [
        { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
        { nonResourceURLs: ["*"], verbs: ["*"] },
      ],
    }),
  );
  addModel(
    scope,
    new ClusterRoleBinding({
      metadata: { name: "cattle-admin-binding", labels: creator },
      subjects: [{ kind: "ServiceAccount", name: SERVICE_ACCOUNT, namespace: RANCHER_NAMESPACE }],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cattle-admin" },
    }),
  );
}

/**
 * The agent as the template renders it for an imported cluster, with our requests and limits (the
 * same as the Cluster's `clusterAgentDeploymentCustomization`, so Rancher's own apply keeps them),
 * its image from the mirror, and STRICT_VERIFY (agent TLS mode strict): it trusts only the CA whose
 * checksum it is given.
 */
function agentDeployment(cluster: Cluster, home: Cluster, version: string): Deployment {
  const env: Record<string, string> = {
    CATTLE_FEATURES: AGENT_FEATURES,
    CATTLE_SERVER: rancherUrl(home),
    CATTLE_CA_CHECKSUM: caChecksum(home),
    CATTLE_CLUSTER: "true",
    CATTLE_K8S_MANAGED: "true",
    // What Rancher renders here (pkg/cluster GetPrivateRegistry: the system default registry): the
    // agent's embedded controllers pull the system charts' images from it.
    CATTLE_CLUSTER_REGISTRY: mirror(cluster, "docker.io"),
    CATTLE_CREDENTIAL_NAME: AGENT_CREDENTIALS,
    CATTLE_SUC_APP_NAME_OVERRIDE: "",
    // settings.DefaultAgentSettingsAsEnvVars (the install's UUID is Rancher's to add), then the TLS mode.
    CATTLE_SERVER_VERSION: version,
    CATTLE_INGRESS_IP_DOMAIN: "sslip.io",
    STRICT_VERIFY: "true",
  };
  return new Deployment({
    metadata: {
      name: AGENT,
      namespace: RANCHER_NAMESPACE,
      annotations: { "management.cattle.io/scale-available": "2" },
    },
    spec: {
      // Two, as Rancher scales it once connected (`scale-available`): a drained node leaves one.
      replicas: 2,
      selector: { matchLabels: { app: AGENT } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { app: AGENT } },
        spec: {
          serviceAccountName: SERVICE_ACCOUNT,
          tolerations: [
            { effect: "NoSchedule", key: "node-role.kubernetes.io/controlplane", value: "true" },
            { effect: "NoSchedule", key: "node-role.kubernetes.io/control-plane", operator: "Exists" },
          ],
          containers: [
            {
              name: "cluster-register",
              image: `${mirror(cluster, "docker.io/rancher/rancher-agent")}:${version}`,
              imagePullPolicy: "IfNotPresent",
              resources: AGENT_RESOURCES,
              env: Object.entries(env).map(([name, value]) => ({ name, value })),
              volumeMounts: [{ name: AGENT_CREDENTIALS, mountPath: "/cattle-credentials", readOnly: true }],
            },
          ],
          volumes: [
            { name: AGENT_CREDENTIALS, secret: { secretName: AGENT_CREDENTIALS, defaultMode: 0o500 } },
          ],
        },
      },
    },
  });
}
