import { MedigenError } from '../../core/index';

/**
 * llama.cpp's q/k row permutation: rows grouped per head as (2, head_dim/2) become
 * (head_dim/2, 2), i.e. the two rotary halves are interleaved. `rows` × `cols`, row-major.
 */
export function permuteRopeRows(data: Float32Array, rows: number, cols: number, heads: number): Float32Array {
  const half = rows / heads / 2;
  if (!Number.isInteger(half)) throw new MedigenError(`Cannot permute ${rows} rows into ${heads} heads.`, 'The adapter does not match the base model: convert it against the model it was trained on.');
  const out = new Float32Array(data.length);
  for (let h = 0; h < heads; h++) {
    for (let two = 0; two < 2; two++) {
      for (let i = 0; i < half; i++) {
        const src = h * 2 * half + two * half + i;
        const dst = h * 2 * half + i * 2 + two;
        out.set(data.subarray(src * cols, src * cols + cols), dst * cols);
      }
    }
  }
  return out;
}
