import { Box, Text } from 'ink';
import type { Field } from './fields.ts';

/*
 * The picked event's fields. While editing, ↑/↓ choose a field and ←/→ step its value
 * (states, modes, closures cycle; numbers count; times move by a minute); fields
 * nothing depends on are shown dim.
 */

export interface FieldEditorProps {
  readonly type: string;
  readonly fields: readonly Field[];
  readonly selected: number;
  readonly editing: boolean;
  readonly width: number;
}

export function FieldEditor(props: FieldEditorProps) {
  const labelWidth = Math.max(8, ...props.fields.map((f) => f.label.length)) + 1;
  return (
    <Box flexDirection="column" width={props.width}>
      {props.fields.map((f, i) => {
        const selected = props.editing && i === props.selected;
        const editable = f.kind !== 'fixed';
        return (
          <Text key={f.key} wrap="truncate-end" dimColor={!editable}>
            <Text bold={selected} color={selected ? 'cyan' : undefined}>
              {selected ? '▸ ' : '  '}
              {f.label.padEnd(labelWidth)}
            </Text>
            {selected && editable ? <Text color="cyan">◂ </Text> : '  '}
            <Text inverse={selected} bold={editable}>
              {f.text}
            </Text>
            {selected && editable ? <Text color="cyan"> ▸</Text> : ''}
          </Text>
        );
      })}
    </Box>
  );
}
