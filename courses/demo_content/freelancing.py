"""Demo track for youth in the second shift: Freelancing (English)."""

from . import code, document, exercise, h2, image, note, ol, p, tip, ul, warning

DOCUMENTS = {
    "proposal-template": {
        "title": "Proposal template",
        "filename": "proposal-template.txt",
        "text": """\
PROPOSAL TEMPLATE - Hunar, Freelancing foundations
Keep it short: 100 to 150 words. Change every line for each job.

1. Greeting and the client's problem, in their words
   Hello [client's name], you need [what they asked for] for [their business or goal].

2. How you will solve it, in two or three steps
   I will [first step], then [second step], and [what you deliver].

3. Proof
   Here is a similar project I made: [link to one relevant portfolio sample].

4. One question about the project
   [A question that shows you read the post, e.g. "Do you already have brand colours?"]

5. A clear close
   I can deliver [files or result] within [number] days for [price, or "the budget you posted"].
   [Your name]

Before you send: read the job post again. Did you answer everything the client asked?
Check the spelling. Never ask the client to pay or talk outside the marketplace.
""",
    },
}

FOUNDATIONS_LESSONS = [
    {
        "slug": "choosing-your-skill-and-niche",
        "title": "Choosing your skill and niche",
        "summary": "What freelancing is, which skills clients pay for, and how to choose a "
        "focused niche to start in.",
        "minutes": 40,
        "body": [
            h2("What is freelancing?"),
            p(
                "A freelancer sells a service to clients, job by job, instead of working for one "
                "employer. With the internet, a young person in Gilgit, Skardu or Chilas can "
                "design a logo for a shop in Lahore or build a website for a company in another "
                "country. Clients find freelancers on marketplaces such as Fiverr, Upwork and "
                "Freelancer.com, on social media, and through recommendations."
            ),
            note(
                "Freelancing is real work, not quick money. Most people need a few months to win "
                "their first clients. Anyone who promises easy earnings in a few days, in return "
                "for a fee, is probably a scammer."
            ),
            h2("Skills that clients buy"),
            p(
                ul(
                    "Graphic design: logos, social media posts, flyers.",
                    "Web development: websites and online shops.",
                    "Writing and translation: articles, product descriptions, English–Urdu "
                    "translation.",
                    "Data entry and virtual assistance: spreadsheets, research, email.",
                    "Video editing and photography.",
                )
            ),
            h2("Choose with three questions"),
            p(
                ol(
                    "<b>What can I do well, or learn well in a few months?</b> Your work must be "
                    "good enough that a client is happy to pay for it.",
                    "<b>What do I enjoy?</b> You will spend many hours on it.",
                    "<b>What do clients ask for?</b> Search the marketplaces for your skill and "
                    "read the job posts. Are there many? What exactly do clients want?",
                )
            ),
            h2("Find a niche"),
            p(
                "A <b>niche</b> is a small, specific part of a market. “Graphic designer” is very "
                "broad, and thousands of people offer it. “Logo and menu design for restaurants "
                "and cafés” is a niche. In a niche you compete with fewer people, your portfolio "
                "looks focused, and clients trust a specialist.",
                "Good niches often come from what you already know. If your family runs a guest "
                "house in Hunza, you understand what tourism businesses need: booking pages, "
                "good photos, and posts that show visitors the valley.",
            ),
            tip(
                "Start with one skill and one niche. You can widen them later, when you have "
                "reviews and experience."
            ),
            exercise(
                "Choose your starting niche",
                "One sentence that says what you offer, and to whom",
                "Write down three skills you have or want to learn.",
                "For each skill, search one marketplace and read ten recent job posts. Note what "
                "the clients ask for.",
                "Choose one skill. Write three kinds of clients you could serve, such as "
                "schools, tourism businesses or online shops.",
                "Finish the sentence <i>I help ____ with ____.</i> and ask your trainer for "
                "feedback.",
            ),
        ],
    },
    {
        "slug": "a-profile-that-wins-clients",
        "title": "A profile that wins clients",
        "summary": "Photo, title, overview and portfolio: build an honest profile that shows a "
        "client you can solve their problem.",
        "minutes": 40,
        "body": [
            h2("Your profile is your shop window"),
            p(
                "Clients often decide in a few seconds whether to read your profile. They look at "
                "your photo, your title, the first lines of your overview and your portfolio. "
                "Each part should answer one question: <i>can this person solve my problem?</i>"
            ),
            h2("Photo and title"),
            p(
                ul(
                    "Use a clear, friendly photo of your face, with a plain background and good "
                    "light. No group photos, logos or filters.",
                    "Your title names your skill and niche, for example <i>Logo and brand "
                    "designer for restaurants</i>, not <i>Hard-working freelancer</i>.",
                )
            ),
            h2("The overview"),
            p(
                "Write to the client, not about yourself. Start with the result you give them, "
                "then show proof, and end with an invitation. Keep it short, in short paragraphs. "
                "For example:",
                "<p><i>Need a logo that people remember? I design simple, clear logos for "
                "restaurants, cafés and hotels. You get the files you need for signboards, menus "
                "and social media, and two rounds of changes. See my portfolio below, and send me "
                "a message about your business.</i></p>",
            ),
            warning(
                "Be honest. Never put another person's work in your portfolio, never invent "
                "reviews or experience, and use your real name. Marketplaces check identities, "
                "and breaking their rules can close your account for good."
            ),
            h2("Portfolio: show, don't tell"),
            p(
                "A portfolio is a set of examples of your work. If you have no clients yet, make "
                "practice projects: redesign a local shop's menu, build a website for an "
                "imaginary guest house, or translate a short article. Say clearly that they are "
                "practice or personal projects. Three to five good samples are better than "
                "twenty weak ones."
            ),
            h2("Skills, rates and details"),
            p(
                ul(
                    "List the skills and tools you really use, such as Canva, Figma, HTML and CSS.",
                    "Look at what freelancers at your level charge before you set a rate. A "
                    "slightly lower price can help you win your first reviews, but do not work "
                    "for free.",
                    "Complete every part of the profile. An unfinished profile looks careless.",
                )
            ),
            exercise(
                "Draft your profile",
                "A title, an overview and a list of portfolio pieces",
                "Write your profile title, using your niche sentence from the last lesson.",
                "Write an overview of 80 to 120 words: the result you give, your proof, and an "
                "invitation.",
                "List three portfolio pieces you will make or improve this month.",
                "Swap with a partner. Check each other's drafts for spelling, honesty and clarity.",
            ),
        ],
    },
    {
        "slug": "writing-proposals",
        "title": "Writing proposals",
        "summary": "Read a job post carefully and answer it with a short proposal that is about "
        "the client.",
        "minutes": 40,
        "body": [
            h2("What is a proposal?"),
            p(
                "On many marketplaces, clients post a job and freelancers send a "
                "<b>proposal</b>: a short message that says why they are right for it. A client "
                "may receive dozens of proposals and read only the first two lines of most. A "
                "good proposal is short, specific and about the client."
            ),
            h2("Read the job post carefully"),
            p(
                "Before you write, read the post twice. Note what the client needs, the "
                "deadline, the budget and any question they ask. Some clients hide a small "
                "instruction in the post to see who really read it. If the job needs a skill you "
                "do not have, do not apply."
            ),
            h2("A simple structure"),
            p(
                ol(
                    "<b>A greeting and the client's problem</b>, in their words.",
                    "<b>How you will solve it</b>, in two or three steps.",
                    "<b>Proof</b>: one or two relevant samples from your portfolio.",
                    "<b>A question</b> that shows you are thinking about the project.",
                    "<b>A clear close</b>: the price, the delivery time and your name.",
                )
            ),
            h2("An example"),
            p(
                "<p><i>Hello Sara, you need a logo for your new café that looks good on a "
                "signboard and on Instagram. I will send you three simple ideas in two days, then "
                "refine the one you like, with two rounds of changes. Here is a logo I made for a "
                "tea shop: [link]. Do you already have colours you want to keep? I can deliver "
                "the final files in PNG, SVG and PDF within five days, for the budget you posted. "
                "Ayesha</i></p>"
            ),
            warning(
                "Do not send the same long message to every job: clients notice at once. Never "
                "ask a client to pay you or talk to you outside the marketplace before a "
                "contract. Most marketplaces forbid it, and you lose their payment protection."
            ),
            h2("After you send it"),
            p(
                "Reply to messages quickly and politely. If you do not win the job, do not worry: "
                "even experienced freelancers win only some of their proposals. Read your "
                "proposal again and improve one thing for the next one.",
                "When you win a job, agree in writing, before you start, what you will deliver, "
                "the price, the deadline and how many rounds of changes are included.",
            ),
            document("proposal-template", "Proposal template (text file)"),
            exercise(
                "Answer a real job post",
                "A proposal of 100 to 150 words",
                "Find a job post in your niche on a marketplace and copy its text into a document.",
                "Underline what the client needs, the deadline and any questions.",
                "Write a proposal with the five-part structure, using the template.",
                "Read it aloud and cut every sentence that is not about the client. Ask your "
                "trainer for feedback before you send any real proposal.",
            ),
        ],
    },
    {
        "slug": "getting-paid-safely-in-pakistan",
        "title": "Getting paid safely in Pakistan",
        "summary": "How money moves from a client to your bank account in Pakistan, how to avoid "
        "payment scams, and why you should keep records.",
        "minutes": 40,
        "body": [
            h2("How money moves"),
            p(
                "When you work through a marketplace, the client pays the marketplace, which "
                "holds the money until the work is delivered and approved. The money then "
                "appears in your marketplace balance, and you <b>withdraw</b> it to your own "
                "account. Marketplaces take a service fee, and withdrawal methods can have fees "
                "and exchange rates too: read the current fee pages before you agree a price, so "
                "that you know what you will really receive."
            ),
            h2("Ways to receive money in Pakistan"),
            p(
                ul(
                    "<b>Bank transfer</b> to your own bank account in Pakistan. Several "
                    "marketplaces can send withdrawals directly to a local bank account.",
                    "<b>Payoneer</b>: an online account that receives payments from marketplaces "
                    "and clients abroad. From it, you withdraw to your bank account in Pakistan.",
                    "<b>Clients outside a marketplace</b> usually pay by international bank "
                    "transfer to your account.",
                ),
                "Methods, fees and rules change, and they differ between marketplaces. Check "
                "each marketplace's help pages for the methods it offers in Pakistan today, and "
                "compare how many rupees you would receive for the same amount.",
            ),
            tip(
                "Open a bank account in your own name, with your own CNIC, and use exactly the "
                "same name on your marketplace and payment accounts. When names do not match, "
                "payments can be held."
            ),
            note(
                "Most marketplaces and payment services accept only people aged 18 or over, and "
                "check your identity. If you are younger, build your skills and your portfolio "
                "now, and open accounts when you turn 18."
            ),
            h2("Avoid payment scams"),
            p(
                ul(
                    "A “client” who sends too much money and asks you to send back the difference.",
                    "Anyone who asks you to pay a fee before you can start a job or withdraw your "
                    "earnings.",
                    "Fake payment screenshots, or emails that look like they come from a payment "
                    "service. Always check your balance by signing in yourself.",
                    "Clients who want to pay outside the marketplace before there is a contract.",
                )
            ),
            warning(
                "Never use someone else's marketplace or payment account, and never let anyone "
                "use yours, even a friend or an “agent” who promises to find you work. Never "
                "share your login or your verification codes. Accounts, and the money in them, "
                "can be frozen."
            ),
            h2("Keep records"),
            p(
                "Keep a spreadsheet of every job: the client, the date, the amount, the fees and "
                "the rupees that reached your bank. Keep the proof of the foreign payments you "
                "receive; many banks can issue a certificate for them, often called a PRC "
                "(Proceeds Realisation Certificate). Records show you your real income, and you "
                "will need them for tax. Tax rules for freelancers change, so ask your tech hub "
                "or a tax adviser about the current rules."
            ),
            exercise(
                "Plan your payments",
                "A payment plan and an income record",
                "Choose one marketplace. Find its help pages on fees and on withdrawal methods "
                "for Pakistan, and write down what you find.",
                "Write which bank account and which withdrawal method you would use, and why.",
                "Make a spreadsheet with the columns <i>Date</i>, <i>Client</i>, <i>Job</i>, "
                "<i>Amount</i>, <i>Fees</i> and <i>Received (Rs)</i>, with a SUM for the total "
                "received.",
                "With a partner, discuss which of the four scams above would be hardest to spot, "
                "and why.",
            ),
        ],
    },
]

HTML_SKELETON = """
<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Skardu Fresh Apricots</title>
  </head>
  <body>
    <!-- Everything you see on the page goes here -->
  </body>
</html>
"""

HTML_CONTENT = """
<h1>Skardu Fresh Apricots</h1>
<p>Sweet, sun-dried apricots from family orchards in Skardu.</p>

<h2>Our products</h2>
<ul>
  <li>Dried apricots, 1 kg</li>
  <li>Apricot kernel oil, 250 ml</li>
</ul>

<img src="apricots.jpg" alt="A basket of dried apricots" width="400">

<p>To order, <a href="mailto:orders@example.com">send us an email</a>.</p>
"""

CSS_FIRST_STYLESHEET = """
body {
  font-family: Arial, Helvetica, sans-serif;
  line-height: 1.6;
  color: #222222;
  background-color: #fdfaf5;
  max-width: 40rem;
  margin: 0 auto;
  padding: 1rem;
}

h1, h2 {
  color: #b35c00;
}

a {
  color: #1d4e89;
}

img {
  max-width: 100%;
  height: auto;
  border-radius: 8px;
}

.price {
  font-weight: bold;
  background-color: #ffe8c2;
  padding: 0.2rem 0.5rem;
}
"""

WEB_LESSONS = [
    {
        "slug": "how-a-web-page-works",
        "title": "How a web page works",
        "summary": "Browsers, servers and web addresses: what happens between typing an address "
        "and seeing a page.",
        "minutes": 35,
        "body": [
            h2("From address to page"),
            p(
                "When you type a web address such as <code>https://example.com/about.html</code> "
                "into a browser and press Enter, this happens:",
                ol(
                    "The browser finds the <b>server</b> for the domain name "
                    "<code>example.com</code>. A server is a computer that is always online and "
                    "stores the website.",
                    "The browser sends a <b>request</b>: “please send me "
                    "<code>/about.html</code>”.",
                    "The server sends a <b>response</b>: the HTML file. The browser reads it and "
                    "asks for the other files the page needs, such as CSS files and images.",
                    "The browser puts everything together and <b>renders</b> (draws) the page "
                    "on your screen.",
                ),
            ),
            image(
                "web-page-parts",
                "A browser sends a request to a server; the server sends back HTML, CSS and "
                "image files, which the browser puts together into a page.",
                "The browser asks, the server answers with files, and the browser builds the page.",
            ),
            h2("The parts of a web address"),
            p(
                ul(
                    "<code>https</code> is the <b>protocol</b>. The <i>s</i> means the connection "
                    "is encrypted.",
                    "<code>example.com</code> is the <b>domain name</b>.",
                    "<code>/about.html</code> is the <b>path</b> to one page of the website.",
                )
            ),
            h2("The three languages of the web"),
            p(
                ul(
                    "<b>HTML</b> gives a page its structure and content: headings, paragraphs, "
                    "links and images.",
                    "<b>CSS</b> gives it style: colours, fonts, spacing and layout.",
                    "<b>JavaScript</b> adds behaviour, such as menus that open. This course does "
                    "not use it.",
                ),
                "An easy way to remember: HTML is the walls and rooms of a house, CSS is the "
                "paint and the furniture, and JavaScript is the electricity that makes things "
                "work.",
            ),
            h2("See it yourself"),
            p(
                "Every browser can show you the HTML of a page: right-click the page and choose "
                "<b>View page source</b>, or press <b>Ctrl+U</b>. Press <b>F12</b> to open the "
                "<b>developer tools</b>, where you can see each part of the page and its CSS. "
                "This is what a very small page looks like:"
            ),
            code(
                "html",
                """
<!DOCTYPE html>
<html lang="en">
  <head>
    <title>Hunza Guest House</title>
  </head>
  <body>
    <h1>Welcome to Hunza Guest House</h1>
    <p>Rooms with a view of Rakaposhi.</p>
  </body>
</html>
""",
            ),
            tip(
                "You do not need the internet to learn HTML. A file on your computer opens in "
                "the browser just like a website. You only need a server when you want other "
                "people to see your page."
            ),
            exercise(
                "Explore a web page",
                "Notes on how a real page is built",
                "Open a website you like. In the address bar, find the protocol, the domain and "
                "the path, and write them down.",
                "Press Ctrl+U to view the source. Find the <code>&lt;title&gt;</code> tag and one "
                "<code>&lt;h1&gt;</code> or <code>&lt;p&gt;</code> tag.",
                "Press F12, open the <b>Network</b> tab and reload the page. How many files did "
                "the browser download?",
                "Write two sentences that explain to a friend what happens when you open a web "
                "page.",
            ),
        ],
    },
    {
        "slug": "your-first-html-page",
        "title": "Your first HTML page",
        "summary": "Write a real web page with headings, paragraphs, a list, an image and a "
        "link, and open it in your browser.",
        "minutes": 50,
        "body": [
            h2("Tags and elements"),
            p(
                "HTML uses <b>tags</b> in angle brackets. Most come in pairs: an opening tag like "
                "<code>&lt;p&gt;</code> and a closing tag with a slash, <code>&lt;/p&gt;</code>. "
                "A tag pair and the content between the tags make an <b>element</b>. Some tags "
                "have <b>attributes</b> that give extra information, like the address of a link: "
                '<code>&lt;a href="contact.html"&gt;</code>.'
            ),
            h2("Set up"),
            p(
                ol(
                    "Make a folder called <code>my-site</code> in Documents.",
                    "Open a plain text editor: Notepad on Windows, or a code editor such as "
                    "Visual Studio Code if your lab has one. Do not use a word processor: it "
                    "adds formatting that browsers cannot read.",
                    "Save an empty file in the folder as <code>index.html</code>. In Notepad, "
                    "choose <b>All files</b> as the type, so the name does not end in "
                    "<code>.txt</code>.",
                )
            ),
            h2("The page skeleton"),
            p("Every HTML page has the same skeleton. Type it carefully:"),
            code("html", HTML_SKELETON),
            p(
                ul(
                    "<code>&lt;!DOCTYPE html&gt;</code> tells the browser this is modern HTML.",
                    "<code>&lt;head&gt;</code> holds information about the page. The "
                    "<code>&lt;title&gt;</code> appears on the browser tab.",
                    '<code>&lt;meta charset="utf-8"&gt;</code> lets the page show every '
                    "language, including Urdu, and the viewport line makes it fit phone screens.",
                    "<code>&lt;body&gt;</code> holds everything that appears on the page.",
                )
            ),
            h2("Content elements"),
            p("Put these elements inside the body:"),
            code("html", HTML_CONTENT),
            p(
                ul(
                    "<code>&lt;h1&gt;</code> to <code>&lt;h6&gt;</code> are headings. Use one "
                    "<code>&lt;h1&gt;</code> per page.",
                    "<code>&lt;p&gt;</code> is a paragraph.",
                    "<code>&lt;ul&gt;</code> is a list with bullets, and each item is an "
                    "<code>&lt;li&gt;</code>. Use <code>&lt;ol&gt;</code> for a numbered list.",
                    "<code>&lt;img&gt;</code> shows a picture and has no closing tag. Its "
                    "<code>alt</code> text describes the picture for people who cannot see it.",
                    "<code>&lt;a&gt;</code> is a link, and <code>href</code> is where it goes.",
                )
            ),
            tip(
                "Indent the elements that are inside other elements, as in the examples. The "
                "browser does not need it, but you and your clients will read the code much more "
                "easily."
            ),
            h2("Open it in the browser"),
            p(
                "Save the file with Ctrl+S, then double-click <code>index.html</code>: it opens "
                "in your browser. After each change, save the file and press <b>F5</b> in the "
                "browser to reload."
            ),
            warning(
                "If something looks wrong, look for a missing closing tag, like "
                "<code>&lt;/p&gt;</code>, or a missing quote mark in an attribute. One small "
                "mistake can change the rest of the page."
            ),
            exercise(
                "A page for a local business",
                "An index.html page with a heading, a paragraph, a list, an image and a link",
                "Type the skeleton into <code>index.html</code>, with a title for a business in "
                "your area: a shop, a hotel or a tailor.",
                "Add an <code>&lt;h1&gt;</code>, a paragraph about the business, and an "
                "<code>&lt;h2&gt;</code> with a list of three products or services.",
                "Copy a photo into the <code>my-site</code> folder and show it with "
                "<code>&lt;img&gt;</code>, with good alt text.",
                "Add a link: an email link with <code>mailto:</code>, or a link to another "
                "website.",
                "Open the page in the browser and fix any mistakes.",
            ),
        ],
    },
    {
        "slug": "styling-with-css",
        "title": "Styling with CSS",
        "summary": "Give your page colours, fonts and spacing with a CSS stylesheet, and make it "
        "readable on phones.",
        "minutes": 50,
        "body": [
            h2("What CSS does"),
            p(
                "CSS (Cascading Style Sheets) controls how HTML looks. A CSS <b>rule</b> has a "
                "<b>selector</b>, which says which elements to style, and <b>declarations</b>, "
                "each made of a <b>property</b> and a <b>value</b>:"
            ),
            code("css", "h1 {\n  color: #1d4e89;\n  font-size: 2rem;\n}"),
            p(
                "This rule makes every <code>&lt;h1&gt;</code> dark blue and twice the normal "
                "text size. Each declaration ends with a semicolon."
            ),
            h2("Link a stylesheet"),
            p(
                "Put your CSS in its own file, <code>style.css</code>, in the same folder as "
                "<code>index.html</code>. Then link it inside the <code>&lt;head&gt;</code> of "
                "the page:"
            ),
            code("html", '<link rel="stylesheet" href="style.css">'),
            p(
                "One stylesheet can style every page of a website, so a change in one place "
                "updates the whole site."
            ),
            h2("A first stylesheet"),
            code("css", CSS_FIRST_STYLESHEET),
            p(
                ul(
                    "<code>font-family</code> chooses the font; the browser uses the first one "
                    "in the list that it has.",
                    "<code>max-width</code> with <code>margin: 0 auto</code> keeps the lines "
                    "short and the page centred, so it is easy to read on a big screen.",
                    "<code>max-width: 100%</code> on images makes them shrink to fit small phone "
                    "screens.",
                    "Colours can be names like <code>white</code> or hex codes like "
                    "<code>#1d4e89</code>: the amounts of red, green and blue, from 00 to ff.",
                )
            ),
            h2("Classes"),
            p(
                "To style only some elements, give them a <b>class</b> in the HTML, and write the "
                "class name after a dot in the CSS, like <code>.price</code> above:"
            ),
            code("html", '<p>Dried apricots, 1 kg <span class="price">Rs 1,200</span></p>'),
            h2("The box model"),
            p(
                "The browser treats every element as a box. <b>Padding</b> is the space inside "
                "the box, around the content. The <b>border</b> is the line around it. The "
                "<b>margin</b> is the space outside, between this box and the next. Press F12 "
                "and select an element to see its boxes in colour."
            ),
            tip(
                "Change one thing at a time, save, and reload the browser with F5. If a style "
                "does not work, check the spelling of the property and that each declaration "
                "ends with a semicolon."
            ),
            exercise(
                "Style your business page",
                "index.html with its own style.css",
                "Create <code>style.css</code> in your <code>my-site</code> folder and link it "
                "from <code>index.html</code>.",
                "Copy the first stylesheet above, then change the colours to suit the business.",
                "Give one element in your HTML a class, and style it in the CSS.",
                "Open the developer tools (F12), switch to the phone view with "
                "<b>Ctrl+Shift+M</b>, and check that the page is easy to read on a small screen.",
            ),
        ],
    },
]

DESIGN_LESSONS = [
    {
        "slug": "design-principles",
        "title": "Design principles: contrast, alignment, repetition, proximity",
        "summary": "Four simple principles that make any design clearer and more professional.",
        "minutes": 45,
        "body": [
            h2("Four principles"),
            p(
                "Good design is not only about talent. Most clear, professional designs follow "
                "four simple principles, made popular by the designer Robin Williams: "
                "<b>contrast</b>, <b>alignment</b>, <b>repetition</b> and <b>proximity</b>. Learn "
                "to see them, and you can fix most weak designs."
            ),
            image(
                "design-principles",
                "Four small panels that show contrast, alignment, repetition and proximity, each "
                "with a simple example.",
                "The four principles at a glance.",
            ),
            h2("Contrast"),
            p(
                "Contrast means making different things <b>clearly</b> different: big and small, "
                "dark and light, bold and thin. It shows the reader what matters most and where "
                "to look first. If two things are only a little different, it looks like a "
                "mistake, so make the title much bigger or bolder, not slightly.",
                "Contrast also matters for reading: use dark text on a light background, or "
                "light text on a dark one. Light grey text on white is hard to read, especially "
                "on a phone in the sun.",
            ),
            h2("Alignment"),
            p(
                "Every item on the page should line up with something else. Choose one strong "
                "edge, for example the left side, and line up the title, the text and the picture "
                "on it. Items placed anywhere make a design look messy. Centred text is fine for "
                "a wedding card, but left-aligned text is usually easier to read."
            ),
            h2("Repetition"),
            p(
                "Repeat the same colours, fonts, shapes and spacing in a design, and across a set "
                "of designs. Repetition makes a design feel like one piece, and it builds a "
                "<b>brand</b>: when a café uses the same two colours and the same font on its "
                "menu, its signboard and its posts, people recognise it at once."
            ),
            h2("Proximity"),
            p(
                "Put related items close together, and keep unrelated items apart. On a flyer, "
                "the date, time and place of an event belong together in one group, and the "
                "phone number and address in another. The space between groups is not wasted: "
                "it shows the reader how the information is organised."
            ),
            tip(
                "Squint at your design, or look at it from across the room. You should see a few "
                "clear groups and one most important thing. If everything is the same size, "
                "nothing stands out."
            ),
            exercise(
                "Fix a messy flyer",
                "A before-and-after flyer for a school event",
                "In Canva, GIMP or any design tool, make a flyer for a school sports day with a "
                "title, the date, time and place, three events and a contact number. Put the "
                "text anywhere, all in one size.",
                "Save a copy as <code>flyer-before.png</code>.",
                "Now apply the principles: group related information (proximity), line "
                "everything up on one edge (alignment), make the title much bigger (contrast), "
                "and use one colour for all the headings (repetition).",
                "Save it as <code>flyer-after.png</code>, and explain to a partner which "
                "principle helped most.",
            ),
        ],
    },
    {
        "slug": "colour-and-type",
        "title": "Colour and type",
        "summary": "Choose colours that work together and fonts that are easy to read, in "
        "English and in Urdu.",
        "minutes": 45,
        "body": [
            h2("The colour wheel"),
            image(
                "colour-wheel",
                "A colour wheel of twelve colours: red, orange, yellow, green, blue and violet, "
                "with the mixed colours between them.",
                "Colours opposite each other are complementary; colours side by side are "
                "analogous.",
            ),
            p(
                "The colour wheel shows how colours relate to each other. Designers use it to "
                "choose colours that work together:",
                ul(
                    "<b>Complementary</b> colours sit opposite each other, such as blue and "
                    "orange. They give strong contrast and energy: use one as the main colour and "
                    "the other for small highlights.",
                    "<b>Analogous</b> colours sit side by side, such as yellow, yellow-orange and "
                    "orange. They look calm and natural together.",
                    "<b>Neutrals</b>, such as white, black, greys and beiges, rest the eye and "
                    "make your main colours stand out.",
                ),
            ),
            h2("Colour has meaning"),
            p(
                "Colours make people feel things, and their meaning depends on culture. Green "
                "often means nature and freshness, and in Pakistan it is also the colour of the "
                "national flag. Blue feels calm and trustworthy, so many banks and technology "
                "companies use it. Red is strong and urgent: think of sales, food and warnings. "
                "Ask yourself what the client's customers should feel."
            ),
            tip(
                "Try the 60-30-10 rule: about 60% of the design in a main, quiet colour, 30% in a "
                "second colour, and 10% in a strong accent colour for the things people must "
                "notice, like a “Call now” button."
            ),
            h2("Choosing fonts"),
            p(
                "<b>Typography</b> is the art of arranging text. Most fonts belong to one of "
                "these groups:",
                ul(
                    "<b>Serif</b> fonts, such as Times New Roman and Georgia, have small “feet” "
                    "on the letters. They feel traditional and serious.",
                    "<b>Sans-serif</b> fonts, such as Arial, Roboto and Open Sans, have no feet. "
                    "They look clean and modern, and are easy to read on screens.",
                    "<b>Display</b> and script fonts are decorative. Use them only for short "
                    "titles, never for long text.",
                ),
                "Use at most two fonts in one design, for example a bold font for the title and "
                "a simple sans-serif for the rest. Make contrast with size and weight instead of "
                "adding more fonts.",
            ),
            h2("Urdu and English together"),
            p(
                "Many clients in Pakistan need designs in both Urdu and English. Urdu is usually "
                "set in the Nastaliq style, for example with the free Noto Nastaliq Urdu font, "
                "and it needs more space between lines than English. Keep the two languages in "
                "separate blocks: Urdu aligned to the right, English to the left."
            ),
            warning(
                "Only use fonts and images that you have the right to use. The fonts on Google "
                "Fonts are free to use in client work; many fonts and photos found on random "
                "websites are not."
            ),
            exercise(
                "A colour and type sheet",
                "A one-page style sheet for an imaginary business",
                "Choose an imaginary business, such as a trekking company in Skardu or a bakery "
                "in Gilgit.",
                "Pick three colours with the colour wheel and the 60-30-10 rule. Write down their "
                "hex codes.",
                "Pick two fonts from Google Fonts: one for titles and one for body text.",
                "Make a one-page sheet that shows the colours, the fonts, and a sample heading "
                "and paragraph.",
            ),
        ],
    },
    {
        "slug": "designing-a-logo-for-a-client",
        "title": "Designing a logo for a client",
        "summary": "From the client's brief to sketches, feedback and the final files a client "
        "needs.",
        "minutes": 50,
        "body": [
            h2("What makes a good logo"),
            p(
                "A logo is a small sign that helps people recognise a business. A good logo is:",
                ul(
                    "<b>Simple</b>: people could draw it from memory.",
                    "<b>Readable at any size</b>: on a signboard and as a tiny icon on a phone.",
                    "<b>Good in one colour</b>: it still works in black and white, for example "
                    "on a stamp or a receipt.",
                    "<b>Right for the business</b>: a children's school and a law firm need very "
                    "different feelings.",
                    "<b>Original</b>: not copied from another logo or from a template that "
                    "everyone uses.",
                ),
            ),
            h2("Start with a brief"),
            p(
                "Before you draw, ask the client questions and write down the answers. This is "
                "the <b>brief</b>.",
                ul(
                    "What is the business name, and is there a slogan?",
                    "What does the business do, and who are its customers?",
                    "Which three words should people feel when they see the logo? For example: "
                    "<i>fresh, local, friendly</i>.",
                    "Which colours do you like or dislike? Which logos do you admire?",
                    "Where will the logo be used: a signboard, a website, packaging, social media?",
                ),
            ),
            h2("From sketch to final"),
            p(
                ol(
                    "<b>Research</b>: look at competitors' logos, so that yours is different.",
                    "<b>Sketch</b> on paper: twenty or more quick ideas in small boxes. Do not "
                    "judge them yet.",
                    "<b>Choose</b> the best three and make them on the computer, in black and "
                    "white first.",
                    "<b>Present</b> them to the client, each on a realistic mock-up such as a "
                    "shop sign or a cup.",
                    "<b>Refine</b> the chosen idea with the client's feedback. Agree the number "
                    "of rounds of changes at the start, for example two.",
                    "<b>Deliver</b> the final files.",
                )
            ),
            tip(
                "Design in black and white first. If a logo is strong without colour, it will be "
                "strong with colour."
            ),
            h2("Files to deliver"),
            p(
                ul(
                    "<b>SVG</b> or <b>PDF</b>: vector files that can be enlarged to any size "
                    "without losing quality, for printing and signboards. Make the logo in a "
                    "vector program such as Inkscape, Illustrator or Figma.",
                    "<b>PNG</b> with a transparent background, for websites and social media.",
                    "<b>JPG</b>, for quick sharing.",
                    "A version for light backgrounds and one for dark backgrounds, with the "
                    "colour codes and the names of the fonts you used.",
                )
            ),
            warning(
                "Never use someone else's logo, a ready-made logo template or clip art as a "
                "client's logo. It can break copyright and trademark law, and the client may "
                "lose their brand. Deliver only your own work, or material you have the right to "
                "use."
            ),
            exercise(
                "A logo for a local business",
                "Three logo ideas and a final logo in SVG and PNG",
                "Work in pairs: one person is the client, the other the designer. The client "
                "describes a real or imaginary local business.",
                "The designer writes a brief with the five questions above.",
                "Sketch at least twenty ideas on paper, then make the best three on the "
                "computer, in black and white.",
                "Present them, take feedback and refine one. Then add colour.",
                "Export the final logo as SVG and as a PNG with a transparent background. Then "
                "swap roles for a new business.",
            ),
        ],
    },
]

TRACK = {
    "slug": "freelancing",
    "title": "Freelancing",
    "audience": "youth",
    "summary": "For young people in the second shift: learn a skill that clients pay for, "
    "present it well, and find, win and deliver online work safely.",
    "courses": [
        {
            "slug": "freelancing-foundations",
            "title": "Freelancing foundations",
            "summary": "How online freelancing works, from choosing a skill to getting paid: "
            "build a profile, write proposals that win work, and receive your earnings safely "
            "in Pakistan.",
            "outcomes": [
                "Choose a skill and a niche that fit your strengths and the market",
                "Build an honest profile and a small portfolio",
                "Write a short proposal that answers a client's needs",
                "Agree the scope, price and deadline of a job in writing",
                "Receive payments safely and keep records of your income",
            ],
            "level": "beginner",
            "hours": 20,
            "prerequisites": ["computer-basics", "internet-safety"],
            "lessons": FOUNDATIONS_LESSONS,
        },
        {
            "slug": "web-development-basics",
            "title": "Web development basics",
            "summary": "Build simple web pages with HTML and CSS: the first step towards web "
            "development work for clients.",
            "outcomes": [
                "Explain how a browser, a server and a web address work together",
                "Write an HTML page with headings, paragraphs, lists, images and links",
                "Style a page with CSS: colours, fonts, spacing and layout",
                "Check a page in the browser's developer tools and on a phone-sized screen",
            ],
            "level": "beginner",
            "hours": 30,
            "prerequisites": ["computer-basics"],
            "lessons": WEB_LESSONS,
        },
        {
            "slug": "graphic-design-basics",
            "title": "Graphic design basics",
            "summary": "The principles behind good design, and how to use them for clear posts, "
            "flyers and logos for real clients, with tools such as Canva, GIMP or Inkscape.",
            "outcomes": [
                "Apply contrast, alignment, repetition and proximity to a layout",
                "Choose colours and fonts that work together and are easy to read",
                "Turn a client's brief into logo ideas and a final design",
                "Deliver logo files in the formats clients need",
            ],
            "level": "beginner",
            "hours": 20,
            "prerequisites": ["computer-basics"],
            "lessons": DESIGN_LESSONS,
        },
    ],
}
