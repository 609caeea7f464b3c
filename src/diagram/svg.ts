import { instance } from '@viz-js/viz';

/** Renders DOT to SVG with Graphviz compiled to WebAssembly: nothing native to install. */
export async function dotToSvg(dot: string): Promise<string> {
  const viz = await instance();
  return viz.renderString(dot, { format: 'svg', engine: 'dot' });
}
