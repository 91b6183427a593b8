// What every page must pass, at a desktop width and a phone width: axe-core finds no accessibility
// violation (WCAG 2.x A and AA rules, and axe's best practices), and the page never scrolls sideways.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";

export const WIDTHS = [1100, 375] as const;

/** Problems of the page as it is now, at both widths ("" entries never appear): empty when it passes. */
export async function pageProblems(page: Page, name: string): Promise<string[]> {
  const problems: string[] = [];
  const before = page.viewportSize() ?? { width: 1100, height: 900 };
  try {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      // Layout settles after a resize (wrapping, media queries) before it is measured.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > width) problems.push(`${name} at ${width}px: the page is ${scrollWidth}px wide (scrolls sideways)`);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
      for (const violation of results.violations) {
        const targets = violation.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ");
        problems.push(`${name} at ${width}px: ${violation.id} (${violation.help}) at ${targets}`);
      }
    }
  } finally {
    await page.setViewportSize(before);
  }
  return problems;
}
