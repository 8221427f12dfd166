import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";

/** What every typed model (kubernetes-models, @kubernetes-models/*, our own) looks like as JSON. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

interface Serialisable {
  toJSON(): unknown;
}

/**
 * Adds a typed model (for example a `Kustomization` from @kubernetes-models/flux-cd) to the construct
 * tree as a cdk8s ApiObject with its explicit name. The construct id is derived from kind, namespace
 * and name, so two objects of the same kind and name in one scope fail loudly.
 */
export function addModel(scope: Construct, model: Manifest | Serialisable): ApiObject {
  const json = (
    typeof (model as Serialisable).toJSON === "function" ? (model as Serialisable).toJSON() : model
  ) as Manifest;
  const name = json.metadata?.name;
  if (!name) throw new Error(`${json.kind} without metadata.name under ${scope.node.path}`);
  const { apiVersion, kind, metadata, ...rest } = json;
  const id = [kind, metadata?.namespace, name].filter(Boolean).join("-");
  return new ApiObject(scope, id, { apiVersion, kind, metadata: { ...metadata, name }, ...rest });
}
