// Writes the web-page and Word versions of two seed articles that test/engine/corpus/extract/html.test.ts and
// test/engine/corpus/extract/docx.test.ts read: test/fixtures/sources/{korybko2021,gul2021}.html, korybko2021.docx and
// word-features.docx.
//
//   node --import tsx scripts/make-source-fixtures.ts
//
// The article text is the seed's (corpus/*.txt) byte for byte, written the way a CMS writes it (curly quotes
// and dashes as numeric entities, &nbsp;, long lines wrapped, a few words in links and emphasis). Everything
// around it — menus, cookie banner, share bars, related articles, newsletter box, comments, footer, and the
// metadata's dates — is made up for the tests. The seeds' own trailing chrome (the "Similar Posts", "Check Also",
// "Leave a Reply" lines their copies kept) is put back where such lines stand on a page: outside the article.
// The .docx files are made by LibreOffice (`soffice --headless`, Debian's libreoffice-writer-nogui) from an HTML
// rendering; without soffice that step is skipped and the committed files are kept.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainTextParagraphs } from '../server/src/engine/corpus/paragraphs.js';
import { root } from '../test/paths.js';

const out = join(root, 'test', 'fixtures', 'sources');

/** The seed's paragraphs (every non-blank line), as the plain-text source numbers them. */
function seed(key: string): string[] {
  return plainTextParagraphs(readFileSync(join(root, 'corpus', `${key}.txt`), 'utf8')).map((p) => p.text);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '\u00a0': '&nbsp;', '\u2018': '&#8216;', '\u2019': '&#8217;',
  '\u201c': '&#8220;', '\u201d': '&#8221;', '\u2013': '&#8211;', '\u2014': '&#8212;', '\u2026': '&#8230;',
};

/** Text as a CMS escapes it. */
function html(text: string): string {
  return text.replace(/[&<>\u00a0\u2018\u2019\u201c\u201d\u2013\u2014\u2026]/g, (c) => ENTITIES[c]);
}

/** Wraps long source lines at ASCII spaces, which HTML collapses back into the one space they were. */
function wrap(markup: string): string {
  return markup.replace(/(.{70,}?) (?=[^ ])/g, (_, line: string) => `${line}\n`);
}

/** A paragraph's markup, with the first occurrence of each phrase wrapped in an inline element. */
function inline(text: string, marks: readonly (readonly [phrase: string, open: string, close: string])[] = []): string {
  let markup = html(text);
  for (const [phrase, open, close] of marks) {
    const at = markup.indexOf(html(phrase));
    if (at < 0) throw new Error(`phrase not in paragraph: ${phrase}`);
    markup = `${markup.slice(0, at)}${open}${html(phrase)}${close}${markup.slice(at + html(phrase).length)}`;
  }
  return wrap(markup);
}

function comment(name: string, when: string, paragraphs: readonly string[], id: number): string {
  return `<li id="comment-${id}" class="comment even thread-even depth-1">
  <article id="div-comment-${id}" class="comment-body">
    <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">${name}</b> <span class="says">says:</span></div>
      <div class="comment-metadata"><a href="#comment-${id}"><time datetime="2021-08-15T09:14:00+00:00">${when}</time></a></div></footer>
    <div class="comment-content">${paragraphs.map((p) => `<p>${wrap(html(p))}</p>`).join('\n')}</div>
    <div class="reply"><a rel="nofollow" class="comment-reply-link" href="#respond">Reply</a></div>
  </article>
</li>`;
}

interface Page {
  key: string;
  title: string;
  head: string;
  site: string;
  menu: readonly string[];
  cookie: string;
  titleHeading: string;
  /** The article body's markup, after the title heading. */
  body: string;
  related: { heading: string; items: readonly (readonly [headline: string, excerpt: string])[] };
  comments: string;
  respond: readonly string[];
}

const SHARE = `<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing">
<h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>
<li class="share-facebook"><a rel="nofollow noopener noreferrer" class="share-facebook sd-button share-icon" href="#share-facebook"><span>Facebook</span></a></li>
<li class="share-twitter"><a rel="nofollow noopener noreferrer" class="share-twitter sd-button share-icon" href="#share-twitter"><span>Twitter</span></a></li>
<li class="share-jetpack-whatsapp"><a rel="nofollow noopener noreferrer" class="share-jetpack-whatsapp sd-button share-icon" href="#share-whatsapp"><span>WhatsApp</span></a></li>
<li class="share-telegram"><a rel="nofollow noopener noreferrer" class="share-telegram sd-button share-icon" href="#share-telegram"><span>Telegram</span></a></li>
<li class="share-email"><a rel="nofollow noopener noreferrer" class="share-email sd-button share-icon" href="#share-email"><span>Email</span></a></li>
<li class="share-print"><a rel="nofollow noopener noreferrer" class="share-print sd-button share-icon" href="#print"><span>Print</span></a></li>
</ul></div></div></div>`;

function page(p: Page): string {
  return `<!DOCTYPE html>
<!-- Test fixture (scripts/make-source-fixtures.ts): the article text is corpus/${p.key}.txt byte for byte; the page
     around it — menus, cookie banner, share bars, related articles, newsletter box, comments, footer, and the
     metadata's dates — is made up for the tests. -->
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${p.head}
<link rel="stylesheet" id="theme-style-css" href="/wp-content/themes/newsline/style.css?ver=2.4.1" media="all">
<style>.cookie-banner{position:fixed;bottom:0}.screen-reader-text{clip:rect(1px,1px,1px,1px)}</style>
<script async src="/wp-content/plugins/analytics/gtag.js"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'G-XXXXXXX');</script>
</head>
<body class="post-template-default single single-post single-format-standard">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site">
<div class="top-bar"><div class="container"><span class="top-date">Sunday, August 15, 2021</span>
<ul class="top-links"><li><a href="/subscribe/">Subscribe</a></li><li><a href="/login/">Log in</a></li><li><a href="/donate/">Support independent journalism</a></li></ul></div></div>
<header id="masthead" class="site-header">
  <div class="site-branding"><p class="site-title"><a href="/" rel="home">${p.site}</a></p>
    <p class="site-description">Independent news and analysis from Eurasia and beyond</p></div>
  <nav id="site-navigation" class="main-navigation" aria-label="Primary menu">
    <button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
    <ul id="primary-menu" class="menu">${p.menu.map((item) => `<li class="menu-item"><a href="/category/${item.toLowerCase().replace(/\W+/g, '-')}/">${html(item)}</a></li>`).join('')}</ul>
  </nav>
  <form role="search" method="get" class="search-form" action="/"><label><span class="screen-reader-text">Search for:</span>
    <input type="search" class="search-field" placeholder="Search &hellip;" name="s"></label><input type="submit" class="search-submit" value="Search"></form>
</header>
<div class="breadcrumbs" typeof="BreadcrumbList"><a href="/">Home</a> &raquo; <a href="/category/analysis/">Analysis</a> &raquo; <span>Afghanistan</span></div>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-48213" class="post-48213 post type-post status-publish format-standard has-post-thumbnail hentry category-analysis">
${p.titleHeading}
${SHARE}
<div class="entry-content">
${p.body}
</div>
${SHARE.replace('Share this:', 'Like this? Share it:')}
<div class="newsletter-signup"><h3>Get the Morning Dispatch</h3>
<p>Our editors pick the day&#8217;s five most important stories from the region and send them to you before breakfast.</p>
<form class="newsletter-form" action="/newsletter/" method="post"><input type="email" name="email" placeholder="Your email address" required>
<button type="submit">Sign me up</button></form>
<p class="newsletter-note">We respect your privacy. You can unsubscribe at any time with one click.</p></div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/analysis/" rel="category tag">Analysis</a></span>
<span class="tags-links">Tagged <a href="/tag/afghanistan/" rel="tag">Afghanistan</a>, <a href="/tag/russia/" rel="tag">Russia</a>, <a href="/tag/taliban/" rel="tag">Taliban</a></span></footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links">
<div class="nav-previous"><a href="/previous/" rel="prev"><span class="meta-nav">Previous</span> Pakistan&#8217;s Balancing Act on the Durand Line</a></div>
<div class="nav-next"><a href="/next/" rel="next"><span class="meta-nav">Next</span> What the Doha Process Got Wrong</a></div></div></nav>
<section class="related-posts"><h3 class="related-title">${html(p.related.heading)}</h3><ul class="related-list">
${p.related.items.map(([headline, excerpt]) => `<li><article class="related-item"><a class="thumb" href="/related/"><img src="/thumb.jpg" alt=""></a>
<h4 class="related-headline"><a href="/related/">${html(headline)}</a></h4><p class="related-excerpt">${wrap(html(excerpt))}</p></article></li>`).join('\n')}
</ul></section>
<div id="comments" class="comments-area">
<h2 class="comments-title">4 thoughts on &#8220;${html(p.title)}&#8221;</h2>
<ol class="comment-list">
${p.comments}
</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">${html(p.respond[0])}</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> Required fields are marked <span class="required">*</span></p>
<p class="comment-form-comment"><label for="comment">Comment</label><textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p>
<p class="comment-form-author"><label for="author">Name <span class="required">*</span></label><input id="author" name="author" type="text"></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"></p>
<p class="akismet_comment_form_privacy_notice">${html(p.respond[1])}</p></form></div>
</div>
</main></div>
<aside id="secondary" class="widget-area">
<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>
<li><a href="/a/">Central Asia Braces for a Refugee Wave</a></li><li><a href="/b/">Beijing Weighs Its Options in Kabul</a></li>
<li><a href="/c/">The Quiet Diplomacy of Tashkent</a></li></ul></section>
<section class="widget widget_text"><h2 class="widget-title">About us</h2><div class="textwidget"><p>${html(p.site)} is a reader-funded
publication covering politics, security and society across Eurasia since 2015. We take no money from governments.</p></div></section>
</aside></div>
<footer id="colophon" class="site-footer"><div class="footer-widgets"><ul class="footer-menu"><li><a href="/about/">About</a></li>
<li><a href="/contact/">Contact</a></li><li><a href="/privacy/">Privacy Policy</a></li><li><a href="/terms/">Terms of Use</a></li></ul></div>
<div class="site-info">&copy; 2021 ${html(p.site)}. All rights reserved. Reproduction without permission is prohibited.</div></footer>
</div>
${p.cookie}
<script>document.querySelectorAll('.cookie-accept').forEach(function (b) { b.addEventListener('click', function () { document.cookie = 'consent=1'; }); });</script>
</body>
</html>
`;
}

const MENU = ['Home', 'World', 'Politics', 'Analysis', 'Opinion', 'Asia', 'Middle East', 'Videos', 'Contact'];

function korybko(): string {
  const paragraphs = seed('korybko2021');
  const end = paragraphs.indexOf('Similar Posts');
  if (end !== 14) throw new Error(`korybko2021.txt changed: "Similar Posts" is paragraph ${end + 1}`);
  const [title, ...text] = paragraphs.slice(0, end);
  const marks: Record<number, readonly (readonly [string, string, string])[]> = {
    2: [['Foreign Minister Lavrov’s earlier words', '<a href="/2021/07/lavrov-taliban/">', '</a>']],
    4: [['“We will get around Kabul like an anaconda.', '<em>', '</em>']],
    10: [['insightful Twitter thread', '<a href="https://twitter.example/thread" target="_blank" rel="noopener">', '</a>']],
  };
  const body = text.map((p, i) => (p.startsWith('By ') ? `<p><strong>${inline(p)}</strong></p>` : `<p>${inline(p, marks[i] ?? [])}</p>`)).join('\n');
  return page({
    key: 'korybko2021',
    title,
    site: 'OneWorld',
    menu: MENU,
    head: `<title>${html(title)} | OneWorld</title>
<meta name="description" content="${html(text[0])}">
<meta name="author" content="Andrew Korybko">
<meta property="og:type" content="article">
<meta property="og:title" content="${html(title)}">
<meta property="og:site_name" content="OneWorld">
<meta property="og:url" content="https://oneworld.example/2021/08/14/interpreting-russias-reaction/">
<meta property="article:published_time" content="2021-08-14T06:00:00+00:00">
<meta property="article:author" content="https://oneworld.example/author/andrew-korybko/">
<meta name="twitter:card" content="summary_large_image">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","mainEntityOfPage":"https://oneworld.example/2021/08/14/interpreting-russias-reaction/","headline":"Interpreting Russia&#8217;s Reaction to the Taliban&#8217;s Rapid Takeover of Afghanistan","author":[{"@type":"Person","name":"Andrew Korybko","url":"https://oneworld.example/author/andrew-korybko/"}],"publisher":{"@type":"Organization","name":"OneWorld","logo":{"@type":"ImageObject","url":"https://oneworld.example/logo.png"}},"image":"https://oneworld.example/kabul.jpg"}</script>`,
    cookie: `<div id="cookie-notice" class="cookie-banner" role="dialog" aria-live="polite" aria-label="Cookie consent">
<p class="cookie-text">We use cookies to give you the best experience on our website and to show you relevant advertising.
By continuing to browse, you agree to our use of cookies as described in our <a href="/privacy/">Cookie Policy</a>.</p>
<button class="cookie-accept">Accept all cookies</button> <button class="cookie-settings">Manage preferences</button></div>`,
    titleHeading: `<h1 class="entry-title">${html(title)}</h1>
<div class="entry-meta"><span class="comments-link"><a href="#comments">4 Comments</a></span></div>`,
    body,
    related: {
      heading: 'Similar Posts',
      items: [
        ['The Taliban’s Northern Offensive Explained', 'The group’s push into the north caught Kabul off guard and rattled its Central Asian neighbours, who had long assumed the north would hold.'],
        ['Why Moscow Still Talks to Everyone in Kabul', 'Russia’s diplomats have spent years keeping channels open to every Afghan faction, and that patience may now pay off in unexpected ways.'],
        ['Tajikistan Mobilises Reservists on Its Southern Border', 'Dushanbe called up twenty thousand reservists this week in what officials described as a precaution rather than a response to any threat.'],
      ],
    },
    comments: [
      comment('Dmitri K.', 'August 14, 2021 at 9:14 am', ['Excellent analysis as always. The anaconda comparison is exactly how people in the region have been describing the campaign for weeks, and nobody in Washington seems to have listened.'], 101),
      comment('Sarah Whitfield', 'August 14, 2021 at 11:02 am', ['I am not convinced that Ghani will resign. He has survived worse, and his advisers are telling him that the West will not abandon him at the last minute.', 'Time will tell, but I would not bet on a transitional government before September.'], 102),
      comment('Rahim', 'August 14, 2021 at 3:47 pm', ['Living in Mazar, I can say the situation on the ground is very different from what the newspapers report. People are tired of war and just want the fighting to stop.'], 103),
      comment('J. Okafor', 'August 15, 2021 at 8:20 am', ['Great piece. Would love to see a follow-up on what this means for the Central Asian republics and the CSTO commitments.'], 104),
    ].join('\n'),
    respond: ['Leave a Reply', 'This site uses Akismet to reduce spam. Learn how your comment data is processed.'],
  });
}

function gul(): string {
  const paragraphs = seed('gul2021');
  const end = paragraphs.indexOf('Related video');
  if (end !== 15) throw new Error(`gul2021.txt changed: "Related video" is paragraph ${end + 1}`);
  const [title, standfirst, posted, byline, ...text] = paragraphs.slice(0, end);
  const [checkAlso, headline1, excerpt1, headline2, excerpt2, leaveReply, akismet] = paragraphs.slice(end + 1);
  if (checkAlso !== 'Check Also' || leaveReply !== 'Leave a Reply') throw new Error('gul2021.txt changed after "Related video"');
  const marks: Record<number, readonly (readonly [string, string, string])[]> = {
    1: [['tweeted Fawad Aman', '<a href="https://twitter.example/FawadAman2/status/1410">', '</a>']],
    2: [['Operation Enduring Freedom', '<em>', '</em>']],
    5: [['Maria Zakharova', '<strong>', '</strong>']],
  };
  const body = [
    `<p class="has-medium-font-size"><strong>${inline(standfirst)}</strong></p>`,
    `<p>${inline(posted, [['07/10/21', '<time datetime="2021-07-10">', '</time>']])}</p>`,
    `<p>${inline(byline, [['Imtiaz Gul', '<a href="/author/imtiaz-gul/">', '</a>']])}</p>`,
    '<p>&nbsp; </p>',
    ...text.map((p, i) =>
      p.startsWith('(Photo')
        ? `<figure class="wp-block-image size-large"><img loading="lazy" width="1024" height="576" src="/wp-content/uploads/2021/07/bagram.jpg" alt="Taliban fighters on a road near Bagram"><figcaption>${inline(p)}</figcaption></figure>`
        : `<p>${inline(p, marks[i] ?? [])}</p>`,
    ),
    `<div class="related-video"><h4>${html(paragraphs[end])}</h4><iframe title="Bagram handover" width="640" height="360" src="https://video.example/embed/bagram"></iframe></div>`,
  ].join('\n');
  return page({
    key: 'gul2021',
    title,
    site: 'MatrixMag',
    menu: ['Home', 'News', 'Pakistan', 'Afghanistan', 'Region', 'Opinion', 'Book Reviews', 'Interviews', 'About Us'],
    head: `<title>${html(title)} - MatrixMag</title>
<meta name="robots" content="index, follow, max-image-preview:large">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="${html(title)} - MatrixMag">
<meta property="og:description" content="${html(standfirst)}">
<meta property="og:site_name" content="MatrixMag">
<meta property="article:published_time" content="2021-07-10T04:30:00+00:00">
<meta name="author" content="matrixmag-editor">
<script type="application/ld+json" class="yoast-schema-graph">{"@context":"https://schema.org","@graph":[
{"@type":"Organization","@id":"https://matrixmag.example/#organization","name":"MatrixMag","url":"https://matrixmag.example/","logo":{"@type":"ImageObject","@id":"https://matrixmag.example/#logo","url":"https://matrixmag.example/logo.png"}},
{"@type":"WebSite","@id":"https://matrixmag.example/#website","url":"https://matrixmag.example/","name":"MatrixMag","publisher":{"@id":"https://matrixmag.example/#organization"}},
{"@type":"WebPage","@id":"https://matrixmag.example/russia-taliban/#webpage","url":"https://matrixmag.example/russia-taliban/","name":${JSON.stringify(`${title} - MatrixMag`)},"isPartOf":{"@id":"https://matrixmag.example/#website"},"datePublished":"2021-07-10T04:30:00+00:00"},
{"@type":"BreadcrumbList","@id":"https://matrixmag.example/russia-taliban/#breadcrumb","itemListElement":[{"@type":"ListItem","position":1,"name":"Home","item":"https://matrixmag.example/"},{"@type":"ListItem","position":2,"name":"Afghanistan"}]},
{"@type":"Article","@id":"https://matrixmag.example/russia-taliban/#article","isPartOf":{"@id":"https://matrixmag.example/russia-taliban/#webpage"},"author":{"@id":"https://matrixmag.example/#/schema/person/5f1e"},"headline":${JSON.stringify(title)},"datePublished":"2021-07-10T09:30:00+05:00","dateModified":"2021-07-11T06:02:41+05:00","publisher":{"@id":"https://matrixmag.example/#organization"},"articleSection":["Afghanistan","Opinion"],"inLanguage":"en-US"},
{"@type":"Person","@id":"https://matrixmag.example/#/schema/person/5f1e","name":"Imtiaz Gul","url":"https://matrixmag.example/author/imtiaz-gul/"}
]}</script>`,
    cookie: `<div class="cc-window cc-banner cc-type-opt-in cc-theme-block cc-bottom" aria-label="cookieconsent" aria-describedby="cookieconsent:desc">
<span id="cookieconsent:desc" class="cc-message">This website uses cookies to ensure you get the best experience on our website. <a class="cc-link" href="/privacy/">Learn more</a></span>
<div class="cc-compliance cc-highlight"><a class="cc-btn cc-deny">Decline</a><a class="cc-btn cc-allow cookie-accept">Allow cookies</a></div></div>`,
    titleHeading: `<header class="entry-header"><div class="entry-category"><a href="/category/afghanistan/">Afghanistan</a></div>
<h1 class="entry-title">${html(title)}</h1>
<div class="entry-meta"><span class="byline">by <a class="url fn n" href="/author/imtiaz-gul/">Imtiaz Gul</a></span> <span class="posted-on">July 10, 2021</span></div></header>`,
    body,
    related: { heading: checkAlso, items: [[headline1, excerpt1], [headline2, excerpt2]] },
    comments: [
      comment('Farooq A.', 'July 10, 2021 at 2:31 pm', ['Russia has always played both sides in Afghanistan. What is different this time is that China is in the game too, and Pakistan is closer to Beijing than ever before.'], 201),
      comment('M. Hassan', 'July 10, 2021 at 6:05 pm', ['The comparison with the nineties is misleading. The Taliban of today have diplomats, spokesmen and a media strategy; they learned from their mistakes.'], 202),
      comment('Elena', 'July 11, 2021 at 10:48 am', ['Thank you for this article. I wish more outlets covered the view from Moscow instead of repeating Washington talking points.', 'One question: do you think the CSTO would intervene if fighting spilled into Tajikistan?'], 203),
      comment('Anonymous', 'July 12, 2021 at 7:19 am', ['Proxy war is the right word. Everyone is arming someone and the Afghans pay the price, as they have for forty years.'], 204),
    ].join('\n'),
    respond: [leaveReply, akismet],
  });
}

/** The seed as an HTML document LibreOffice imports: title and author into the document properties, the title line as a heading. */
function docxSource(): string {
  const paragraphs = seed('korybko2021');
  const [title, ...text] = paragraphs.slice(0, paragraphs.indexOf('Similar Posts'));
  return `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>${html(title)}</title>
<meta name="author" content="Andrew Korybko">
<meta name="created" content="2021-08-14T06:00:00">
</head><body>
<h1>${html(title)}</h1>
${text.map((p) => `<p>${html(p)}</p>`).join('\n')}
</body></html>
`;
}

/**
 * A Word file with what a writer uses besides plain paragraphs (made up for the tests): headings, emphasis, a
 * link, line breaks, nested and numbered lists, a table, a footnote, an empty paragraph, several authors.
 * LibreOffice reads its own HTML export's footnote markup (`sdfootnote`) back as real footnotes.
 */
function featuresSource(): string {
  return `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Field notes on quotation</title>
<meta name="author" content="Ann Archer; Bo Brennan">
<meta name="created" content="2023-03-09T14:30:00">
</head><body>
<h1>Field notes on quotation</h1>
<p>Every quotation is a <b>promise</b> to the reader: <i>these are the words</i>, as the
<a href="https://example.org/source">source</a> has them.</p>
<h2>What the checker reads</h2>
<p>A soft line break<br>stays inside its paragraph.</p>
<p>Two breaks in a row<br><br>start a new one.</p>
<p></p>
<ul><li>First point, on its own.</li><li>Second point, with detail:<ul><li>a nested point beneath it.</li></ul></li></ul>
<ol><li>Number one.</li><li>Number two.</li></ol>
<table border="1"><tr><td>Left cell text.</td><td>Right cell text.</td></tr></table>
<p>A sentence with a note<a class="sdfootnoteanc" name="sdfootnote1anc" href="#sdfootnote1sym"><sup>1</sup></a> in the middle of it.</p>
<p>The last paragraph of the body.</p>
<div id="sdfootnote1"><p class="sdfootnote"><a class="sdfootnotesym" name="sdfootnote1sym" href="#sdfootnote1anc">1</a>The note's own text, after the body.</p></div>
</body></html>
`;
}

function makeDocx(name: string, source: string): void {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore' });
  } catch {
    console.log(`soffice not found (apt-get install libreoffice-writer-nogui): ${name}.docx left as it is`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-docx-'));
  writeFileSync(join(dir, `${name}.html`), source);
  // A profile of its own, so a running LibreOffice does not take the job (or its settings) over.
  execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', dir, join(dir, `${name}.html`)], { stdio: 'ignore' });
  const docx = join(dir, `${name}.docx`);
  if (!existsSync(docx)) throw new Error(`soffice wrote no ${name}.docx`);
  copyFileSync(docx, join(out, `${name}.docx`));
}

writeFileSync(join(out, 'korybko2021.html'), korybko());
writeFileSync(join(out, 'gul2021.html'), gul());
makeDocx('korybko2021', docxSource());
makeDocx('word-features', featuresSource());
console.log(`wrote ${out}`);
