import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { connectionsOf } from "../lib/data/database-access.ts";
import { Layer } from "../lib/flux/layers.ts";
import { CLIENT_SECRET_KEY, clientIdOf, clientSecretName, oidcClients } from "../lib/identity/clients.ts";
import type { Cluster, Estate, Placement } from "../lib/inventory/model.ts";
import { GROUP_LABEL, STAGE_LABEL } from "../lib/k8s/labels.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import {
  type CertificateAuthority,
  caBundleSecret,
  localCa,
  ORG_CA_BUNDLE,
  organisationCa,
} from "../lib/pki/certificates.ts";
import { keycloakIssuer } from "../lib/platform.ts";
import { AppWorkload } from "../lib/workloads/app-workload.ts";
import { callsOrgService } from "../lib/workloads/org-ca-trust.ts";

export function placementsOn(cluster: Cluster, estate: Estate): Placement[] {
  return estate.placements.filter((p) => p.cluster === cluster);
}

/** The application namespaces of a cluster, each with the placements it holds, sorted by name. */
export function namespacesOf(placements: readonly Placement[]): Map<string, Placement[]> {
  const byNamespace = new Map<string, Placement[]>();
  for (const p of [...placements].sort((a, b) => a.namespace.localeCompare(b.namespace))) {
    byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), p]);
  }
  return byNamespace;
}

/** The catalogue's workloads on this cluster: their namespaces (Pod Security restricted) and workloads. */
export class WorkloadsChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "workloads", { disableResourceNameHashes: true });
    const layer = Layer.in(this, "apps");
    const clients = oidcClients(estate);
    const tokenUrl = `${keycloakIssuer(estate)}/protocol/openid-connect/token`;
    for (const [namespace, placements] of namespacesOf(placementsOn(cluster, estate))) {
      const first = placements[0] as Placement;
      addModel(
        layer,
        new Namespace({
          metadata: {
            name: namespace,
            labels: {
              "pod-security.kubernetes.io/enforce": "restricted",
              "pod-security.kubernetes.io/enforce-version": "latest",
              [STAGE_LABEL]: first.stage,
              [GROUP_LABEL]: first.workload.group,
            },
          },
        }),
      );
      // Callers of org-certified services verify with the organisation's CA; database consumers with
      // the CA of the cluster's local certificates (the same one unless the cluster has its own).
      const bundles = new Map<string, CertificateAuthority>();
      if (placements.some((p) => callsOrgService(p, clients.has(clientIdOf(p)))))
        bundles.set(ORG_CA_BUNDLE, organisationCa(cluster));
      if (placements.some((p) => connectionsOf(p).length > 0))
        bundles.set(localCa(cluster).bundle, localCa(cluster));
      for (const ca of bundles.values()) caBundleSecret(layer, cluster, namespace, ca);
      for (const placement of placements) {
        const clientId = clientIdOf(placement);
        const oidc = clients.has(clientId)
          ? { clientId, tokenUrl, secretName: clientSecretName(clientId), secretKey: CLIENT_SECRET_KEY }
          : undefined;
        new AppWorkload(layer, placement, oidc ? { oidc } : {});
      }
    }
  }
}
