import { describe, expect, it } from 'vitest';
import { MACHINES } from '../../machines/catalog.ts';
import { presetNames } from '../../sim/fleet/presets/index.ts';
import { MACHINE_NAMES, PRESET_NAMES } from '../../src/cli/commands/names.ts';
import { DIAGRAM_FORMATS as FORMATS_AT_START } from '../../src/diagram/formats.ts';
import { DIAGRAM_FORMATS } from '../../src/diagram/index.ts';

// The command definitions name presets and machines without loading them (start-up);
// these lists must stay the real ones.
describe('names the CLI declares before loading anything', () => {
  it('are the presets, in their order', () => {
    expect([...PRESET_NAMES]).toEqual(presetNames());
  });
  it('are the machines', () => {
    expect([...MACHINE_NAMES]).toEqual(Object.keys(MACHINES));
  });
  it('are the diagram formats', () => {
    expect(FORMATS_AT_START).toBe(DIAGRAM_FORMATS);
  });
});
