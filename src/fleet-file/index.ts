/*
 * Fleet files: YAML or JSON in nixfleet's vocabulary → a validated, canonical `Fleet`.
 * The format is documented in docs/fleet-format.md, with a commented example in
 * examples/fleet.yaml.
 */
export { type FleetParseResult, fleetNameOf, loadFleetFile, parseFleet } from './parse.ts';
export { type FleetFile, fleetFileSchema } from './schema.ts';
export { type FleetFileFormat, formatOf } from './syntax.ts';
