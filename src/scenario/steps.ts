import { PLATFORMS } from "../../simulators/registry.js";
import { deviceSuffix, type InventoryView, platformOf, ScenarioRefused } from "./inventory.js";
import { type Planned, requests } from "./requests.js";
import type { Step } from "./schema.js";

/** A step as it runs: steps with `platforms` become one step per platform. */
export interface ConcreteStep {
  /** 1-based position among the steps as they run. */
  index: number;
  /** Position in the file's `steps` list, for messages that point at the file. */
  fileIndex: number;
  name: string;
  platform?: string;
  step: Step;
}

export function expandSteps(steps: readonly Step[]): ConcreteStep[] {
  const out: ConcreteStep[] = [];
  steps.forEach((step, fileIndex) => {
    const platforms =
      step.platforms === undefined
        ? [undefined]
        : step.platforms === "all"
          ? PLATFORMS.map((p) => p.code)
          : step.platforms;
    for (const platform of platforms) {
      const name =
        platform === undefined
          ? step.name
          : step.name.includes("{platform}")
            ? step.name.replaceAll("{platform}", platform)
            : `${step.name} (${platform})`;
      out.push({ index: out.length + 1, fileIndex, name, platform, step });
    }
  });
  return out;
}

/** The request a step makes, its product picks resolved now (before traffic starts); none for a sleep. */
export async function planStep(cs: ConcreteStep, view: InventoryView): Promise<Planned | undefined> {
  const { step, platform } = cs;
  const product = (ref: Parameters<InventoryView["resolve"]>[0]) => view.resolve(ref, platform);
  if (step.read !== undefined) {
    if (typeof step.read === "object" && "product" in step.read) {
      const id = await product(step.read.product);
      return requests.read(id, step.read.sub === "device" ? deviceSuffix(platformOf(id)) : step.read.sub);
    }
    return requests.read(await product(step.read));
  }
  if (step.list) return requests.list(step.list.pageSize, step.list.pageNumber);
  if (step.find) return requests.find(await inOrder(step.find.products, product));
  if (step.setStatus) return requests.status(await product(step.setStatus.product), step.setStatus.status);
  if (step.customProperty) {
    const { op, name, value } = step.customProperty;
    return requests.customProperty(await product(step.customProperty.product), op, name, value);
  }
  if (step.transfer) {
    const id = await product(step.transfer.product);
    return requests.transfer(
      id,
      step.transfer.account === "other" ? otherAccount(view, id) : step.transfer.account,
    );
  }
  if (step.batch) return requests.batch(await inOrder(step.batch.products, product), step.batch.status);
  if (step.request)
    return requests.raw(step.request.method, step.request.path, step.request.body, step.request.contentType);
  return undefined;
}

/** Picks one after another, so which product each reference gets never depends on timing. */
async function inOrder<T>(items: readonly T[], pick: (item: T) => Promise<string>): Promise<string[]> {
  const ids: string[] = [];
  for (const item of items) ids.push(await pick(item));
  return ids;
}

function otherAccount(view: InventoryView, productId: string): string {
  const code = platformOf(productId);
  const owner = view.owner.get(productId);
  if (owner === undefined)
    throw new ScenarioRefused(
      `transfer of ${productId} to "other": pick the product from the inventory, or name the account`,
    );
  const other = view.accountsOf(code).find((a) => a !== owner);
  if (!other)
    throw new ScenarioRefused(`${productId} has no other ${code} account of this tenant to move to`);
  return other;
}
