// Images a loss reader finds inside the file it reads (a TensorBoard event file's image
// summaries): not read here, only where they are, for the run to list as embedded samples.
import type { EmbeddedImage } from '../model';
import { imageFormat } from '../samples/decoding';

/** One image found in a file: its tag and step, and where its encoded bytes are. */
export interface FoundImage {
  tag: string;
  step: number;
  /** Which of the images one value holds (a TF2 image summary holds several). */
  index: number;
  /** Byte offset and length of the encoded image in the file. */
  offset: number;
  length: number;
  format: EmbeddedImage['format'];
}

/** What a read hands back beside its series: the images found in the file (a reader that finds none leaves it unset). */
export interface FileReport {
  images?: FoundImage[];
}

/** The format of the image whose first bytes these are; null when they are no image. */
export function imageFormatOf(head: Uint8Array): EmbeddedImage['format'] | null {
  return imageFormat(head);
}
