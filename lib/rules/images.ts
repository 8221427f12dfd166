import { ImageValidatingPolicy } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/ImageValidatingPolicy";
import { ValidatingPolicy } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/ValidatingPolicy";
import type { Cluster } from "../inventory/model.ts";
import {
  ALL_CONTAINERS,
  POD_CONTROLLERS,
  podsOutside,
  SYSTEM_NAMESPACES,
  validationActions,
} from "./admission.ts";
import type { PlacementRule } from "./rule.ts";

/**
 * Image provenance: only the organisation's registry, only pinned references, only signed images.
 * The first two are checked at synth time and at admission; signatures only at admission (they live
 * in the registry).
 */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export const allowedRegistry: PlacementRule = {
  id: "allowed-registry",
  field: "image",
  check: (p) =>
    p.imageRef.startsWith(`${p.cluster.images.registry}/`)
      ? undefined
      : `image "${p.imageRef}" is not from ${p.cluster.images.registry}, the only registry ${p.cluster.name} admits`,
};

export const pinnedImage: PlacementRule = {
  id: "pinned-image",
  field: `deploy.<stage>.version`,
  check: (p) => {
    if (p.version === "latest") return `version "latest" is not a pin; use a release tag or a sha256 digest`;
    if (!TAG.test(p.version) && !DIGEST.test(p.version)) {
      return `version "${p.version}" is neither a valid tag nor a sha256:<64 hex> digest`;
    }
    return undefined;
  },
};

const SCOPE = podsOutside(SYSTEM_NAMESPACES);
const autogen = { podControllers: { controllers: POD_CONTROLLERS } };

export function allowedRegistryPolicy(cluster: Cluster): ValidatingPolicy {
  const prefix = `${cluster.images.registry}/`;
  return new ValidatingPolicy({
    metadata: { name: "restrict-image-registry" },
    spec: {
      validationActions: validationActions(cluster),
      matchConstraints: SCOPE,
      autogen,
      validations: [
        {
          expression: `(${ALL_CONTAINERS}).all(c, c.image.startsWith('${prefix}'))`,
          message: `images must come from ${prefix}`,
        },
      ],
    },
  });
}

export function pinnedImagePolicy(cluster: Cluster): ValidatingPolicy {
  return new ValidatingPolicy({
    metadata: { name: "disallow-latest-tag" },
    spec: {
      validationActions: validationActions(cluster),
      matchConstraints: SCOPE,
      autogen,
      validations: [
        {
          expression: `(${ALL_CONTAINERS}).all(c, c.image.matches('@sha256:[a-f0-9]{64}$') || (c.image.matches(':[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$') && !c.image.endsWith(':latest')))`,
          message:
            "images must be pinned to a release tag or a digest; 'latest' and untagged images are not allowed",
        },
      ],
    },
  });
}

/**
 * Signed with the organisation's cosign key. Without a public transparency log (the datacenter has
 * no internet), `images.transparencyLog: "none"` skips the Rekor and SCT checks; a URL points Kyverno
 * at the organisation's own Rekor instead.
 */
export function signedImagesPolicy(cluster: Cluster): ImageValidatingPolicy {
  const tlog = cluster.images.transparencyLog;
  return new ImageValidatingPolicy({
    metadata: { name: "verify-image-signatures" },
    spec: {
      validationActions: validationActions(cluster),
      failurePolicy: "Fail",
      matchConstraints: SCOPE,
      autogen,
      matchImageReferences: [{ glob: `${cluster.images.registry}/*` }],
      attestors: [
        {
          name: "waterschap",
          cosign: {
            key: { data: `${cluster.images.cosignPublicKeyPem}\n` },
            ctlog: tlog === "none" ? { insecureIgnoreTlog: true, insecureIgnoreSCT: true } : { url: tlog },
          },
        },
      ],
      validationConfigurations: { required: true, verifyDigest: true, mutateDigest: true },
      validations: [
        {
          // Every list (containers, init and ephemeral containers): with `required`, an image that is
          // never verified is denied.
          expression:
            "images.all(list, images[list].all(image, verifyImageSignatures(image, [attestors.waterschap]) > 0))",
          message: `images must be signed with the organisation's cosign key (${cluster.images.cosignPublicKeyPath})`,
        },
      ],
    },
  });
}
