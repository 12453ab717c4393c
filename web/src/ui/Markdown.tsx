import ReactMarkdown from "react-markdown";
import { markdownComponents } from "../runs/SummaryMarkdown";

/**
 * Claude's text in the thread as markdown: raw HTML skipped, images only from this origin (as in
 * summaries; see SummaryMarkdown), and line breaks inside a paragraph kept as Claude wrote them.
 */
export default function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown components={markdownComponents} skipHtml>{text.replace(/([^\n])\n(?!\n)/g, "$1  \n")}</ReactMarkdown>
    </div>
  );
}
