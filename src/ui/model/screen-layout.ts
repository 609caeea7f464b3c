import { fitGrid, type GridFit, legendLines } from './grid-layout.ts';
import type { ChannelMeta, ModelMeta } from './meta.ts';

/*
 * How the dashboard's height and width are shared out: header, rollouts (the selected
 * one's diagram, one line per other rollout), the grid beside the host detail, the
 * log, and the footer. A pure function of the terminal size, so the key handler sees
 * the same grid columns the screen draws.
 */

export interface ScreenLayout {
  readonly width: number;
  readonly diagramLines: number;
  /** Other rollouts shown one line each. */
  readonly otherRollouts: number;
  readonly gridWidth: number;
  readonly detailWidth: number;
  readonly middleHeight: number;
  readonly logHeight: number;
  readonly footerHeight: number;
  readonly fit: GridFit | null;
}

export function screenLayout(input: {
  readonly width: number;
  readonly height: number;
  readonly diagramHeight: number;
  readonly rollouts: number;
  /** Lines the footer takes at this width (its keys and any message). */
  readonly footerHeight: number;
  /** Lines between the header and the rollouts (a violation's banner, at most two). */
  readonly bannerLines?: number;
  readonly meta: ModelMeta;
  readonly channel: ChannelMeta | undefined;
}): ScreenLayout {
  const { width } = input;
  // One line short of the terminal: Ink redraws a screen-filling frame by clearing it.
  const height = Math.max(12, input.height - 1);
  const footerHeight = Math.max(1, input.footerHeight);
  const small = height < 26;
  const diagramLines = input.rollouts === 0 ? 1 : small ? 2 : input.diagramHeight;
  const otherRollouts = Math.min(Math.max(0, input.rollouts - 1), small ? 1 : 3);
  const fixed =
    1 + (input.bannerLines ?? 0) + (1 + diagramLines + otherRollouts) + 1 + 1 + footerHeight;
  const rest = Math.max(6, height - fixed);
  const logHeight = Math.max(3, Math.floor(rest * 0.34));
  const middleHeight = Math.max(3, rest - logHeight);
  const detailWidth = Math.max(30, Math.min(60, Math.floor(width * 0.36)));
  const gridWidth = Math.max(20, width - detailWidth - 1);
  const fit =
    input.channel === undefined
      ? null
      : fitGrid(
          input.channel.waves,
          input.meta.hosts,
          gridWidth,
          middleHeight - legendLines(gridWidth),
        );
  return {
    width,
    diagramLines,
    otherRollouts,
    gridWidth,
    detailWidth,
    middleHeight,
    logHeight,
    footerHeight,
    fit,
  };
}
