import { randomBytes } from "node:crypto";
import { LessThan, type DataSource, type Repository } from "typeorm";
import { ChallengeEntity, type ChallengeRow } from "./database.js";
import { reason, type Reason } from "./errors.js";

export interface IssuedChallenge {
  challenge: string;
  domain: string | null;
  expiresAt: Date;
}

/**
 * Single-use, short-lived challenges for presentations. They live in the agent's database so that
 * every API instance sharing it sees a challenge consumed exactly once.
 */
export class ChallengeStore {
  private readonly repo: Repository<ChallengeRow>;

  constructor(
    dataSource: DataSource,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.repo = dataSource.getRepository(ChallengeEntity);
  }

  async issue(domain: string | null = null): Promise<IssuedChallenge> {
    const now = this.now();
    // Expired challenges are useless; dropping them here keeps the table small without a timer.
    await this.repo.delete({ expiresAt: LessThan(now - this.ttlMs) });
    // Hex, not base64url: a leading "-" would read as an option on a command line.
    const challenge = randomBytes(24).toString("hex");
    const expiresAt = now + this.ttlMs;
    await this.repo.insert({ challenge, domain, expiresAt, usedAt: null });
    return { challenge, domain, expiresAt: new Date(expiresAt) };
  }

  /** Marks the challenge used; returns why it cannot be used, or null when this call consumed it. */
  async consume(challenge: string, domain?: string): Promise<Reason | null> {
    if (typeof challenge !== "string" || challenge.length === 0 || challenge.length > 200) {
      return reason("CHALLENGE_UNKNOWN", "the challenge is empty or not a string");
    }
    const now = this.now();
    const row = await this.repo.findOneBy({ challenge });
    if (!row) return reason("CHALLENGE_UNKNOWN", "the challenge was not issued by this verifier");
    if (row.usedAt !== null) return reason("CHALLENGE_USED", "the challenge was already used");
    if (Number(row.expiresAt) <= now) return reason("CHALLENGE_EXPIRED", "the challenge has expired");
    if (domain !== undefined && row.domain !== null && row.domain !== domain) {
      return reason("DOMAIN_MISMATCH", `the challenge was issued for ${row.domain}, not ${domain}`);
    }
    // The conditional update is the single point where two concurrent consumers are told apart.
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({ usedAt: now })
      .where("challenge = :challenge AND used_at IS NULL", { challenge })
      .execute();
    return result.affected === 1 ? null : reason("CHALLENGE_USED", "the challenge was already used");
  }
}
