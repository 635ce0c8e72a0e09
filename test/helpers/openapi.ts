import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { templateCovers } from "../../src/openapi/document.js";

type Json = Record<string, any>;

const pointerPart = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Checks bodies against a generated OpenAPI document with ajv (JSON Schema 2020-12, the document's
 * own dialect), resolving `$ref`s inside the document, and records which documented
 * (operation, status) pairs a test has seen, so a test can insist on covering them all.
 */
export class DocumentChecker {
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly seen = new Set<string>();
  readonly #compiled = new Map<string, ReturnType<Ajv2020["compile"]>>();

  constructor(readonly doc: Json) {
    addFormats.default(this.#ajv);
    this.#ajv.addSchema(doc, "doc");
  }

  /** Follows one local `$ref` of a response or parameter object. */
  #deref(pointer: string): string {
    const target = this.#node(pointer);
    return target?.$ref ? (target.$ref as string).slice(1) : pointer;
  }

  #node(pointer: string): Json | undefined {
    return pointer
      .split("/")
      .slice(1)
      .reduce((n: Json | undefined, part) => n?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], this.doc);
  }

  #media(pointer: string, contentType: string): string | undefined {
    const node = this.#node(pointer);
    const base = (type: string) => type.split(";")[0]?.trim().toLowerCase();
    const key = Object.keys(node?.content ?? {}).find((k) => base(k) === base(contentType));
    return key === undefined ? undefined : `${pointer}/content/${pointerPart(key)}/schema`;
  }

  #errors(at: string, value: unknown): string[] {
    // Schemas that only point at a component are compiled once, as that component.
    const pointer = this.#deref(at);
    let validate = this.#compiled.get(pointer);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `doc#${pointer}` });
      this.#compiled.set(pointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || "(body)"} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }

  /** The documented template a concrete request path falls under, the most specific one first. */
  templateFor(method: string, path: string): string {
    const bare = path.split("?")[0] as string;
    const candidates = Object.keys(this.doc.paths as Json)
      .filter((template) => this.operation(method, template) && templateCovers(template, bare))
      .sort((a, b) => a.split("{").length - b.split("{").length);
    if (!candidates[0]) throw new Error(`no documented ${method} operation covers ${bare}`);
    return candidates[0];
  }

  operation(method: string, path: string): Json | undefined {
    return this.doc.paths?.[path]?.[method.toLowerCase()];
  }

  /**
   * Problems with a real answer against the documented response for its status (or `default`):
   * an undocumented status, an undocumented content type, or a body that does not fit.
   */
  async response(method: string, path: string, res: Response): Promise<string[]> {
    const op = this.operation(method, path);
    if (!op) return [`${method} ${path} is not documented`];
    const status = String(res.status);
    const key = status in op.responses ? status : "default" in op.responses ? "default" : undefined;
    if (!key) return [`${method} ${path} does not document status ${status}`];
    this.seen.add(`${method.toUpperCase()} ${path} ${status}`);
    const pointer = this.#deref(`/paths/${pointerPart(path)}/${method.toLowerCase()}/responses/${key}`);
    const text = await res.clone().text();
    const contentType = res.headers.get("content-type") ?? "";
    const schema = contentType ? this.#media(pointer, contentType) : undefined;
    // An empty body, or a response documented without content (a file of any type), has nothing to check.
    if (text === "" || !this.#node(pointer)?.content) return [];
    if (!schema) {
      const documented = this.#media(pointer, contentType.split(";")[0] ?? "") !== undefined;
      return documented ? [] : [`${method} ${path} ${status}: content type ${contentType} is not documented`];
    }
    let body: unknown = text;
    if (/json/i.test(contentType)) body = JSON.parse(text);
    return this.#errors(schema, body);
  }

  /** Problems with a request body against the documented request body for a content type. */
  requestBody(method: string, path: string, body: unknown, contentType = "application/json"): string[] {
    const op = this.operation(method, path);
    if (!op?.requestBody) return [`${method} ${path} documents no request body`];
    const schema = this.#media(
      `/paths/${pointerPart(path)}/${method.toLowerCase()}/requestBody`,
      contentType,
    );
    if (!schema) return [`${method} ${path} does not accept ${contentType}`];
    return this.#errors(schema, body);
  }

  /** Every documented (operation, status) as `METHOD path status`. */
  documented(): string[] {
    return Object.entries(this.doc.paths as Json).flatMap(([path, item]) =>
      Object.entries(item as Json).flatMap(([method, op]) =>
        Object.keys((op as Json).responses).map((status) => `${method.toUpperCase()} ${path} ${status}`),
      ),
    );
  }
}

/** Every `$ref` in the document that points nowhere. */
export function brokenRefs(doc: Json): string[] {
  const broken: string[] = [];
  const resolve = (ref: string) =>
    ref
      .slice(2)
      .split("/")
      .reduce((n: Json | undefined, part) => n?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "$ref" && (typeof value !== "string" || !value.startsWith("#/") || !resolve(value)))
          broken.push(String(value));
        else walk(value);
      }
    }
  };
  walk(doc);
  return broken;
}
