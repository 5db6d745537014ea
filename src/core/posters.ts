import type { Platform, Poster } from './platform.ts';

/** The one registry of each connected platform's Poster, shared by every service that posts. */
export class Posters {
  private readonly byPlatform = new Map<Platform, Poster>();

  register(platform: Platform, poster: Poster): void {
    this.byPlatform.set(platform, poster);
  }

  /** Removes `poster` (only that one: a newer registration stays). */
  unregister(platform: Platform, poster: Poster): void {
    if (this.byPlatform.get(platform) === poster) this.byPlatform.delete(platform);
  }

  get(platform: Platform): Poster | undefined {
    return this.byPlatform.get(platform);
  }

  has(platform: Platform): boolean {
    return this.byPlatform.has(platform);
  }
}
