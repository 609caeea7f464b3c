/** The text formats `diagram` writes (svg is drawn from the layout DOT, beside these). */
export const DIAGRAM_FORMATS = ['mermaid', 'dot', 'scxml', 'json'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];
