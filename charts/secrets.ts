import { ApiObject, Chart } from "cdk8s";
import type { Construct } from "constructs";
import { EstateError } from "../lib/errors.ts";
import { Layer, namespaceLayers } from "../lib/flux/layers.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";

/**
 * The cluster's SOPS-encrypted Secrets (secrets/<cluster>/), copied into the Flux layer that creates
 * their namespace; Flux decrypts them with the cluster's own age key (Kustomization `decryption`).
 */
export class SecretsChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "secrets", { disableResourceNameHashes: true });
    const layers = namespaceLayers(scope);
    for (const secret of estate.secrets.filter((s) => s.cluster === cluster.name)) {
      const layer = layers.get(secret.namespace);
      if (!layer)
        throw new EstateError([
          {
            file: secret.file,
            cluster: cluster.name,
            message: `namespace "${secret.namespace}" is not created by any chart`,
          },
        ]);
      new ApiObject(Layer.in(this, layer), `${secret.namespace}-${secret.name}`, secret.document as never);
    }
  }
}
