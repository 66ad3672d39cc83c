/**
 * The market's vector generator for `deno task vectors`: tariff
 * verification cases (vectorgen_tariff.ts) and machine transcripts
 * (vectorgen_market.ts).
 *
 * @module
 */
import { marketVectorFile } from "./vectorgen_market.ts";
import { tariffVectorFile } from "./vectorgen_tariff.ts";

export const pubsubVectorGenerator = {
  name: "pubsub",
  generate: () => [
    { path: "pubsub/tariff.json", content: tariffVectorFile() },
    { path: "pubsub/market.json", content: marketVectorFile() },
  ],
};
