/** The built-in lanes as an enum-like constant (the guide's `LaneType.DOCS` …). Custom lanes are plain strings. */
export const LaneType = {
  DOCS: 'docs',
  STANDARD: 'standard',
  HEAVY: 'heavy',
} as const;
export type LaneType = (typeof LaneType)[keyof typeof LaneType];
