// What one source says about a run's formulation. Sources are asked in order (config, code, the
// settings, the values) and their clues joined by `decideFormulation` (index.ts).
import type { DTerms, LossType, Penalty } from '../model';

export interface Clue {
  /** The loss family, when the source is sure of it. */
  lossType?: LossType;
  /** The formulations the source leaves open (code that branches on a setting), each with its family: a later source picks one. */
  alternatives?: Clue[];
  dTerms?: DTerms;
  lsganScale?: { d: number; g: number };
  penalties?: Penalty[];
  gOtherTerms?: boolean;
  /** What was read, in the user's words: "train_opt.txt: gan_mode lsgan". */
  from: string;
}
