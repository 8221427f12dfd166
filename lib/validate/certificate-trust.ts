import { X509Certificate } from "node:crypto";
import { formatProblem } from "../errors.ts";
import type { HydratedObject } from "../hydrate/index.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { CA_BUNDLE_KEY, localCa, organisationCa } from "../pki/certificates.ts";
import { pemCertificates, secretValues } from "../secrets/public.ts";

type Spec = Record<string, any>;

const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256;

/** Who signs a certificate: a CA of the inventory (its PEM), itself, or why the proof cannot tell. */
export type Signer = { readonly ca: string } | { readonly selfSigned: string } | { readonly problem: string };

/**
 * The signer of a Certificate, followed through its issuer (an Issuer in its namespace or a
 * ClusterIssuer) to the key pair it names, whose certificate the inventory declares. A self-signed
 * issuer holds no CA key: each certificate is its own root (charts use one for their webhooks).
 */
export function signerOf(
  cluster: Cluster,
  objects: readonly HydratedObject[],
  certificate: Manifest,
): Signer {
  const ref = ((certificate.spec as Spec)?.issuerRef ?? {}) as Spec;
  const kind = ref.kind ?? "Issuer";
  const issuer = objects.find(
    (o) =>
      o.manifest.kind === kind &&
      o.manifest.metadata?.name === ref.name &&
      (kind === "ClusterIssuer" || o.manifest.metadata?.namespace === certificate.metadata?.namespace),
  )?.manifest;
  if (!issuer)
    return {
      problem: `${kind} ${ref.name} is not rendered on this cluster: the certificate is never issued`,
    };
  const spec = (issuer.spec ?? {}) as Spec;
  if (spec.selfSigned && Object.keys(spec).length === 1) return { selfSigned: `${kind} ${ref.name}` };
  const keyPair = spec.ca?.secretName;
  const known = [organisationCa(cluster), localCa(cluster)].find(
    (ca) => kind === "ClusterIssuer" && ca.keyPair === keyPair,
  );
  if (!known)
    return {
      problem: `cannot prove: ${kind} ${ref.name} signs with no CA of the inventory (${keyPair ?? Object.keys(spec).join(", ")})`,
    };
  return { ca: known.pem };
}

/** The certificates in a Secret's `ca.crt`, as rendered (stringData or data). */
function bundleOf(objects: readonly HydratedObject[], namespace: string, name: string): string[] | undefined {
  const secret = objects.find(
    (o) =>
      o.manifest.kind === "Secret" &&
      o.manifest.metadata?.namespace === namespace &&
      o.manifest.metadata?.name === name,
  )?.manifest;
  if (!secret) return undefined;
  return pemCertificates(secretValues(secret)[CA_BUNDLE_KEY] ?? "");
}

/**
 * Whether a client's bundle Secret (`namespace/name`, key `ca.crt`) holds the CA that signed the
 * server's certificate; the problem otherwise (verify-full would fail on the first connection).
 */
export function trustProblem(
  objects: readonly HydratedObject[],
  bundle: { namespace: string; name: string },
  signer: Signer,
): string | undefined {
  if ("problem" in signer) return signer.problem;
  if ("selfSigned" in signer)
    return `the server's certificate is self-signed (${signer.selfSigned}); no bundle holds it`;
  const serverCa = signer.ca;
  const held = bundleOf(objects, bundle.namespace, bundle.name);
  if (!held) return `the CA bundle Secret ${bundle.namespace}/${bundle.name} does not exist`;
  const wanted = fingerprint(serverCa);
  if (held.some((pem) => fingerprint(pem) === wanted)) return undefined;
  return `the CA bundle ${bundle.namespace}/${bundle.name} does not hold ${new X509Certificate(serverCa).subject.replace(/\n/g, ", ")}, which signs the server's certificate`;
}

/**
 * Rule ca-key-placement on the hydrated cluster: the key of the organisation's CA only where a
 * certificate is issued with it, never on a cluster with a CA of its own; every issuer's key used;
 * every Certificate's issuer rendered and known.
 */
export function caKeyProblems(cluster: Cluster, objects: readonly HydratedObject[]): string[] {
  const certificates = objects.filter((o) => o.manifest.kind === "Certificate").map((o) => o.manifest);
  const problems = certificates.flatMap((c) => {
    const signer = signerOf(cluster, objects, c);
    return "problem" in signer
      ? [`Certificate ${c.metadata?.namespace}/${c.metadata?.name}: ${signer.problem}`]
      : [];
  });
  for (const { manifest } of objects.filter((o) => o.manifest.kind === "ClusterIssuer")) {
    const name = manifest.metadata?.name;
    const keyPair = (manifest.spec as Spec)?.ca?.secretName;
    if (!keyPair) continue;
    if (keyPair === organisationCa(cluster).keyPair && cluster.pki.clusterCa)
      problems.push(
        `ClusterIssuer ${name} needs the organisation's CA key (${keyPair}) on a cluster with a CA of its own (pki.clusterCaCertificate)`,
      );
    else if (!certificates.some((c) => (c.spec as Spec)?.issuerRef?.name === name))
      problems.push(
        `ClusterIssuer ${name} puts the key ${keyPair} on the cluster, and no Certificate is issued with it`,
      );
  }
  return problems.map((message) =>
    formatProblem({ cluster: cluster.name, rule: "ca-key-placement", message }),
  );
}

/**
 * Across clusters: a CloudNativePG external cluster reached with `sslmode=verify-full` verifies the
 * remote server with its `sslRootCert` bundle, which must hold the CA that signed the certificate
 * naming that host, wherever in the estate it is issued.
 */
export function externalClusterTrustProblems(
  estate: Pick<Estate, "clusters">,
  objectsOf: ReadonlyMap<string, readonly HydratedObject[]>,
): string[] {
  const problems: string[] = [];
  for (const [clusterName, objects] of objectsOf)
    for (const { manifest } of objects) {
      if (manifest.kind !== "Cluster" || !manifest.apiVersion?.startsWith("postgresql.cnpg.io/")) continue;
      for (const external of ((manifest.spec as Spec)?.externalClusters ?? []) as Spec[]) {
        const host = external.connectionParameters?.host;
        if (external.connectionParameters?.sslmode !== "verify-full") continue;
        const at = `cluster "${clusterName}": ${manifest.metadata?.namespace}/${manifest.metadata?.name} external cluster ${external.name} (${host})`;
        const server = serverSignerOf(estate, objectsOf, String(host));
        const root = external.sslRootCert?.name;
        const problem = !root
          ? "verify-full without an sslRootCert"
          : trustProblem(objects, { namespace: String(manifest.metadata?.namespace), name: root }, server);
        if (problem) problems.push(`${at}: ${problem}`);
      }
    }
  return problems;
}

/** The signer of the one certificate in the estate naming `host`, or why that cannot be told. */
function serverSignerOf(
  estate: Pick<Estate, "clusters">,
  objectsOf: ReadonlyMap<string, readonly HydratedObject[]>,
  host: string,
): Signer {
  const found = estate.clusters.flatMap((cluster) =>
    (objectsOf.get(cluster.name) ?? [])
      .filter(
        (o) =>
          o.manifest.kind === "Certificate" && ((o.manifest.spec as Spec)?.dnsNames ?? []).includes(host),
      )
      .map((o) => signerOf(cluster, objectsOf.get(cluster.name) ?? [], o.manifest)),
  );
  if (found.length === 1) return found[0] as Signer;
  return {
    problem: `cannot prove: ${found.length === 0 ? "no" : found.length} certificates in the estate name ${host}`,
  };
}
