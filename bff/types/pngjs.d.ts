declare module 'pngjs' {
  export interface PngImage {
    width: number;
    height: number;
    data: Buffer;
  }
  export const PNG: {
    new (options: { width: number; height: number }): PngImage;
    sync: { read(buffer: Buffer): PngImage; write(png: PngImage, options?: { colorType?: number }): Buffer };
  };
}
