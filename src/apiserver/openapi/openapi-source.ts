// Where the OpenAPI v3 documents come from. kubectl needs, for every kind it applies or
// creates, a PATCH operation tagged with the kind's GVK that lists the fieldValidation
// parameter (cli-runtime query_param_verifier_v3.go); `kubectl explain` needs full
// schemas. A source with schemas can replace the minimal one without touching the server.
export interface OpenApiSource {
  /** The group-version paths served, as the /openapi/v3 root names them: `api/v1`, `apis/coordination.k8s.io/v1`. */
  groupVersionPaths(): string[];
  /** The document of one group-version path, or undefined (→ 404). */
  document(path: string): object | undefined;
}
