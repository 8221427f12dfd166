import { ImageValidatingPolicy } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/ImageValidatingPolicy";
import { ValidatingPolicy } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/ValidatingPolicy";
import { FLUX_IMAGES, FLUX_OPERATOR, FLUX_VERSION } from "../flux/constants.ts";
import { mirror } from "../images.ts";
import type { Cluster } from "../inventory/model.ts";
import { SYSTEM_NAMESPACES } from "../namespaces/preexisting.ts";
import { FLUX_NAMESPACE } from "../platform.ts";
import { ALL_CONTAINERS, POD_CONTROLLERS, podsOutside, validationActions } from "./admission.ts";
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
      // Flux's own pods are pinned by digest instead (fluxImagesPolicy): a broken signature chain must
      // never stop the controllers that would roll out its fix.
      matchConstraints: podsOutside([...SYSTEM_NAMESPACES, FLUX_NAMESPACE]),
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

/**
 * Flux's own namespace runs exactly the Flux Operator and the controllers of FLUX_VERSION, from the
 * mirror, by the digests Git pins (lib/flux/constants.ts): checked without the registry or a
 * signature, so Flux can always restart and repair the estate, and nothing else runs beside it.
 */
export function fluxImagesPolicy(cluster: Cluster): ValidatingPolicy {
  const allowed = [
    mirror(cluster, FLUX_OPERATOR.image),
    ...FLUX_IMAGES.flatMap(({ image, digest }) => {
      const pinned = mirror(cluster, image);
      return [pinned, `${pinned}@${digest}`, `${pinned.slice(0, pinned.lastIndexOf(":"))}@${digest}`];
    }),
  ];
  return new ValidatingPolicy({
    metadata: { name: "pin-flux-images" },
    spec: {
      validationActions: validationActions(cluster),
      matchConstraints: {
        namespaceSelector: {
          matchExpressions: [
            { key: "kubernetes.io/metadata.name", operator: "In", values: [FLUX_NAMESPACE] },
          ],
        },
        resourceRules: podsOutside([]).resourceRules,
      },
      autogen,
      validations: [
        {
          expression: `(${ALL_CONTAINERS}).all(c, c.image in [${allowed.map((a) => `'${a}'`).join(", ")}])`,
          message: `${FLUX_NAMESPACE} runs only the Flux Operator ${FLUX_OPERATOR.version} and the Flux ${FLUX_VERSION} controllers pinned in lib/flux/constants.ts`,
        },
      ],
    },
  });
}
