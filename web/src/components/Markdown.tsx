import ReactMarkdown from "react-markdown";

// Repository content and Claude's words are untrusted: links open nowhere special and images are
// never fetched (a remote image would tell its host who read the page); their text stands in.
const components = {
  img: ({ alt, src }: { alt?: string; src?: string }) => <span className="image-placeholder" title={typeof src === "string" ? src : undefined}>[image: {alt || "no description"}]</span>,
  a: ({ href, children }: { href?: string; children?: React.ReactNode }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">{children}</a>
  ),
};

/** Markdown as HTML, without raw HTML and without loading images. Line breaks inside a paragraph are kept. */
export default function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown components={components} skipHtml>{text.replace(/([^\n])\n(?!\n)/g, "$1  \n")}</ReactMarkdown>
    </div>
  );
}
