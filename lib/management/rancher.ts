import { createHash } from "node:crypto";
import type { Cluster, Estate } from "../inventory/model.ts";
import { resources } from "../k8s/pod-defaults.ts";

/**
 * Rancher at our release (the chart's appVersion, `rancherVersion`): the server on the management home, one
 * cattle-cluster-agent per managed cluster. Facts here are read from rancher/rancher v2.14.4:
 * pkg/systemtemplate (the agent's manifest), package/run.sh (what the agent calls first),
 * pkg/tunnelserver (peers), pkg/features (what can be switched off).
 */
export function rancherVersion(estate: Pick<Estate, "components">): string {
  const rancher = estate.components.find((c) => c.chart === "rancher");
  if (!rancher) throw new Error("the estate has a management home but no rancher component");
  return `v${rancher.version}`;
}
/** The agent's credentials (url, token, namespace), SOPS-encrypted per managed cluster. */
export const AGENT_CREDENTIALS = "cattle-credentials";
/** The server's first admin password (key `password`), SOPS-encrypted on the management home. */
export const BOOTSTRAP_SECRET = "rancher-bootstrap";
/** The organisation's CA as Rancher's `cacerts` setting (the chart mounts key `cacerts.pem`). */
export const RANCHER_CA_SECRET = "tls-ca";

/** How many agent replicas a drain may take at once (our PodDisruptionBudget and the Cluster's). */
export const AGENT_MAX_UNAVAILABLE = 1;
/** The agents' requests and limits, rendered in our Deployment and in the Cluster's customization. */
export const AGENT_RESOURCES = resources(["100m", "1"], ["256Mi", "1Gi"]);

/** The cluster that runs Rancher, when the estate has one (`hosts: ["management"]`). */
export function managementHome(estate: Pick<Estate, "clusters">): Cluster | undefined {
  return estate.clusters.find((c) => c.hosts.includes("management"));
}

export function rancherHost(home: Cluster): string {
  return `rancher.${home.dns.domain}`;
}

export function rancherUrl(home: Cluster): string {
  return `https://${rancherHost(home)}`;
}

/**
 * `CATTLE_CA_CHECKSUM`: the SHA-256 of the `cacerts` setting with one trailing newline
 * (pkg/systemtemplate CAChecksum), which the agent compares with what the server serves
 * (package/run.sh). The setting is the organisation's CA, so the checksum is public and rendered.
 */
export function caChecksum(cluster: Cluster): string {
  const pem = `${cluster.pki.caCertificatePem.trimEnd()}\n`;
  return createHash("sha256").update(pem).digest("hex");
}
