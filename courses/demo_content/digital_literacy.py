"""Demo track for students in school hours: Digital literacy (English)."""

from . import code, document, exercise, h2, h3, image, note, ol, p, tip, ul, video, warning

STRONG_PASSWORDS_VIDEO = "https://www.youtube.com/watch?v=aEmF3Iylvr4"

DOCUMENTS = {
    "password-checklist": {
        "title": "Password checklist",
        "filename": "password-checklist.txt",
        "text": """\
PASSWORD CHECKLIST - Hunar, Internet safety

A strong password:
[ ] has at least 12 characters
[ ] is a passphrase of three or four random words, with a number and a symbol
[ ] does NOT contain your name, your family's names, your birthday or your phone number
[ ] is NOT a common password (123456, password, qwerty, pakistan...)
[ ] is used for ONE account only

Keep your accounts safe:
[ ] Two-step verification is on for your email account
[ ] Two-step verification is on for your social media and freelancing accounts
[ ] You use your browser's password manager or a trusted password manager app
[ ] You never tell anyone a password or a verification code (OTP)
[ ] You sign out of accounts on shared lab computers
[ ] You change a password at once if you think someone else knows it

Banks, mobile companies and Hunar staff will NEVER ask for your password or a code.
""",
    },
}

COMPUTER_BASICS_LESSONS = [
    {
        "slug": "parts-of-a-computer",
        "title": "Parts of a computer",
        "summary": "Input, output, processing and storage: what the main parts of a computer do.",
        "minutes": 35,
        "body": [
            h2("What is a computer?"),
            p(
                "A computer is a machine that takes in information, works on it, and gives you a "
                "result. It works very fast, and it does exactly what its programs tell it to do.",
                "Every computer, from the desktop in your lab to a mobile phone, does four jobs: "
                "<b>input</b>, <b>processing</b>, <b>storage</b> and <b>output</b>.",
            ),
            image(
                "computer-parts",
                "A desktop computer: a monitor, a system unit, a keyboard and a mouse, each with "
                "a label.",
                "The main parts of a desktop computer in the lab.",
            ),
            h2("Input devices"),
            p(
                "Input devices send information into the computer.",
                ul(
                    "<b>Keyboard</b>: for typing letters, numbers and commands.",
                    "<b>Mouse</b>: for pointing, clicking and dragging.",
                    "<b>Microphone</b> and <b>webcam</b>: for sound and pictures.",
                    "<b>Scanner</b>: turns a paper page into a picture on the computer.",
                ),
            ),
            h2("Processing: the system unit"),
            p(
                "The system unit is the box that holds the most important parts. The <b>CPU</b> "
                "(central processing unit) is the “brain”: it follows instructions and does the "
                "calculations. <b>RAM</b> (memory) holds the work you are doing right now. RAM is "
                "fast, but it is emptied when the computer turns off.",
                "In a laptop, the system unit, the keyboard and the screen are all in one case.",
            ),
            h2("Storage"),
            p(
                "Storage keeps your files when the power is off. Most computers have a <b>hard "
                "disk drive (HDD)</b> or a faster <b>solid-state drive (SSD)</b>. You can also "
                "carry files with you on a <b>USB flash drive</b>."
            ),
            warning(
                "Work you have not saved is only in RAM. If the electricity goes off before you "
                "save, that work is lost. Save often with <b>Ctrl+S</b>."
            ),
            h2("Output devices"),
            p(
                ul(
                    "<b>Monitor</b>: shows pictures and text.",
                    "<b>Speakers</b> and <b>headphones</b>: play sound.",
                    "<b>Printer</b>: puts your work on paper.",
                )
            ),
            h2("Hardware and software"),
            p(
                "All the parts you can touch are <b>hardware</b>. The programs are "
                "<b>software</b>. The <b>operating system</b>, such as Windows or Linux, is the "
                "main software: it starts the computer and runs the other programs, like a web "
                "browser or a word processor."
            ),
            h2("Starting and shutting down safely"),
            p(
                "Press the power button once to start the computer. To turn it off, open the "
                "Start menu and choose <b>Shut down</b>. Do not just switch off the power at the "
                "wall: the computer may be saving files, and they can be damaged."
            ),
            exercise(
                "Find the parts in your lab",
                "A table of the parts of your lab computer",
                "Look at the computer in front of you. Find the monitor, the system unit (or the "
                "laptop case), the keyboard and the mouse.",
                "On paper, make a table with three columns: <b>Part</b>, <b>Input, output or "
                "storage?</b> and <b>What it does</b>.",
                "Write at least six parts in your table. Include one storage device.",
                "Compare your table with a partner. Ask your trainer about any part you are not "
                "sure of.",
            ),
        ],
    },
    {
        "slug": "files-and-folders",
        "title": "Files and folders",
        "summary": "Keep your work organised: create, name, move and find files and folders.",
        "minutes": 40,
        "body": [
            h2("Files and folders"),
            p(
                "Everything you save on a computer is a <b>file</b>: a letter, a photo, a song or "
                "a spreadsheet. A <b>folder</b> is a container for files, like a cardboard file "
                "in a school office. Folders can hold other folders too, so you can build a neat "
                "structure."
            ),
            image(
                "folder-tree",
                "A folder tree: Documents contains School and Photos; School contains Science "
                "and Maths; each folder holds files.",
                "Folders inside folders keep files easy to find.",
            ),
            h2("File names and extensions"),
            p(
                "A file name has two parts joined by a dot: the name and the <b>extension</b>. In "
                "<code>water-cycle.docx</code>, the name is <i>water-cycle</i>, and the extension "
                "<i>docx</i> tells the computer which program opens the file.",
                ul(
                    "<code>.docx</code>: a Word document",
                    "<code>.xlsx</code>: an Excel spreadsheet",
                    "<code>.pdf</code>: a document for reading and printing",
                    "<code>.jpg</code> or <code>.png</code>: a picture",
                ),
            ),
            tip(
                "Give files short names that say what is inside, such as "
                "<code>science-homework-week3.docx</code>. Names like <code>New Document "
                "(2).docx</code> are hard to find later."
            ),
            h2("The file manager"),
            p(
                "On Windows the file manager is called <b>File Explorer</b>. Open it with the "
                "folder icon on the taskbar, or press <b>Windows key + E</b>. On the left you see "
                "places like Desktop, Documents, Downloads and any USB drive. The address bar at "
                "the top shows the <b>path</b>: the folders you are inside, for example "
                "<code>Documents &gt; School &gt; Science</code>."
            ),
            h2("Everyday actions"),
            p(
                ul(
                    "<b>Create a folder</b>: right-click an empty space, choose <b>New &gt; "
                    "Folder</b>, type a name and press Enter.",
                    "<b>Rename</b>: click the file once and press <b>F2</b>, type the new name "
                    "and press Enter.",
                    "<b>Copy</b> (<b>Ctrl+C</b>) and <b>paste</b> (<b>Ctrl+V</b>): make a second "
                    "copy in another place.",
                    "<b>Cut</b> (<b>Ctrl+X</b>) and paste: move the file to another place.",
                    "<b>Delete</b>: select the file and press the <b>Delete</b> key. It goes to "
                    "the <b>Recycle Bin</b>, where you can restore it if you made a mistake.",
                )
            ),
            warning(
                "Files deleted from a USB flash drive do not go to the Recycle Bin. They are gone "
                "at once, so check twice."
            ),
            h2("Find a lost file"),
            p(
                "Type part of the name in the search box at the top right of File Explorer. Look "
                "in <b>Downloads</b> too: files from the internet and from email usually go there."
            ),
            exercise(
                "Build your school folders",
                "A tidy folder structure with one file in it",
                "Open File Explorer and go to <b>Documents</b>.",
                "Create a folder named <code>School</code>. Inside it, create two folders: "
                "<code>Science</code> and <code>Maths</code>.",
                "Open Notepad, type two sentences about yourself, and save the file as "
                "<code>about-me.txt</code> in <code>School</code>.",
                "Move <code>about-me.txt</code> into <code>Science</code> with cut and paste, "
                "then rename it to <code>my-notes.txt</code>.",
                "Delete the file, then open the Recycle Bin and restore it.",
            ),
        ],
    },
    {
        "slug": "keyboard-and-mouse-skills",
        "title": "Keyboard and mouse skills",
        "summary": "Use the mouse with confidence, type from the home row and learn the shortcuts "
        "that save time.",
        "minutes": 45,
        "body": [
            h2("Using the mouse"),
            p(
                "Hold the mouse lightly, with your palm resting on it. Your index finger rests on "
                "the left button and your middle finger on the right button. Move the whole mouse "
                "on the table; you do not need to press hard.",
                ul(
                    "<b>Click</b>: press and release the left button once, to select something.",
                    "<b>Double-click</b>: two quick clicks, to open a file or a program.",
                    "<b>Right-click</b>: press the right button once, to see a menu of actions.",
                    "<b>Drag</b>: hold the left button down, move the mouse, then let go, to "
                    "move a file or select text.",
                    "<b>Scroll</b>: turn the wheel to move up and down a page.",
                ),
            ),
            tip(
                "On a laptop touchpad, tap with one finger to click and with two fingers to "
                "right-click. Slide two fingers up or down to scroll."
            ),
            h2("The keyboard"),
            image(
                "keyboard-home-row",
                "A keyboard with the home row keys A, S, D, F and J, K, L, ; marked, and the "
                "bumps on F and J.",
                "Your fingers rest on the home row. Feel for the bumps on F and J.",
            ),
            p(
                "Touch typists keep their fingers on the <b>home row</b>. Your left fingers rest "
                "on <b>A S D F</b> and your right fingers on <b>J K L ;</b>. Your thumbs rest on "
                "the space bar. The small bumps on <b>F</b> and <b>J</b> help you find the home "
                "row without looking.",
                "Each finger reaches up and down to nearby keys and then comes back to the home "
                "row. At first this is slower than looking at the keys, but after a few weeks of "
                "practice you will type faster and make fewer mistakes.",
            ),
            h3("Important keys"),
            p(
                ul(
                    "<b>Shift</b>: hold it to type a capital letter or the top symbol on a key, "
                    "like <b>!</b> or <b>@</b>.",
                    "<b>Caps Lock</b>: turns capital letters on or off. Check it when a password "
                    "does not work.",
                    "<b>Enter</b>: starts a new line or confirms.",
                    "<b>Backspace</b> deletes the letter before the cursor; <b>Delete</b> deletes "
                    "the letter after it.",
                    "<b>Tab</b>: moves to the next box in a form.",
                )
            ),
            h2("Shortcuts that save time"),
            p(
                "A shortcut is two keys pressed together. Hold the first key, tap the second, "
                "then let go of both.",
                ul(
                    "<b>Ctrl+S</b>: save",
                    "<b>Ctrl+C</b>: copy, <b>Ctrl+V</b>: paste, <b>Ctrl+X</b>: cut",
                    "<b>Ctrl+Z</b>: undo your last action",
                    "<b>Ctrl+A</b>: select all",
                    "<b>Alt+Tab</b>: switch between open windows",
                ),
            ),
            note(
                "Good posture protects your body: sit up straight, keep your feet flat on the "
                "floor, keep your wrists straight and the top of the screen at eye level. Every "
                "20 minutes, rest your eyes by looking at something far away."
            ),
            exercise(
                "Home row practice",
                "Type a few lines without looking at the keys",
                "Open Notepad or a word processor. Put your fingers on the home row and feel the "
                "bumps on F and J.",
                "Type this line three times without looking down: <code>asdf jkl; asdf jkl;</code>",
                "Type these words: <code>sad lad dad fall flask salad</code>",
                "Type two sentences about your village or town. Use Shift for capital letters "
                "and finish with a full stop.",
                "Select all the text with Ctrl+A and copy it with Ctrl+C. Click at the end and "
                "paste it with Ctrl+V. Then undo with Ctrl+Z.",
            ),
        ],
    },
]

INTERNET_SAFETY_LESSONS = [
    {
        "slug": "strong-passwords",
        "title": "Strong passwords",
        "summary": "Make passwords that are hard to guess and easy for you to remember, and add "
        "a second lock with two-step verification.",
        "minutes": 35,
        "body": [
            h2("Why passwords matter"),
            p(
                "Your password is the key to your email, your social media and, later, your "
                "freelancing and bank accounts. If someone else gets it, they can read your "
                "messages, pretend to be you or steal your money. Criminals do not guess "
                "passwords one by one: computer programs try millions of common passwords and "
                "words very quickly."
            ),
            h2("What makes a password weak"),
            p(
                ul(
                    "It is short, such as <code>ali123</code>.",
                    "It is common, such as <code>123456</code>, <code>password</code> or "
                    "<code>pakistan</code>.",
                    "It uses facts others can find: your name, your birthday, your phone number "
                    "or your school.",
                    "It is the same on many websites. When one website is hacked, criminals try "
                    "that password everywhere.",
                )
            ),
            h2("How to make a strong password"),
            p(
                "Length matters most: use at least 12 characters. An easy way is a "
                "<b>passphrase</b>: three or four random words joined together, with a number or "
                "a symbol, for example <code>Apricot!River7Kettle</code>. It is long, so it is "
                "hard to crack, and a picture in your mind makes it easy to remember.",
                "Use a <b>different password for every important account</b>. If that is too "
                "many to remember, use the password manager built into your browser or a trusted "
                "password manager app, and protect it with one very strong passphrase.",
            ),
            warning(
                "Do not use the example passwords in this lesson. Everyone who reads this lesson "
                "knows them."
            ),
            h2("Add a second lock: two-step verification"),
            p(
                "Two-step verification (also called 2FA) asks for a second proof after your "
                "password, such as a code sent by SMS or shown in an authenticator app. Even if "
                "someone steals your password, they cannot sign in without your phone. Turn it "
                "on for your email first, because your email can reset all your other passwords."
            ),
            tip(
                "Never tell anyone a verification code. Real companies and banks never ask you "
                "for it on the phone or by message."
            ),
            h2("Watch and download"),
            p(
                "The video below is optional. If you cannot watch it, or the internet is slow, "
                "open the transcript under it: it has the main ideas of this lesson."
            ),
            video(
                "Video: creating a strong password (optional)",
                STRONG_PASSWORDS_VIDEO,
                "Your password protects your email, your photos and your money. Criminals use "
                "programs that try millions of common passwords, so a short or common password "
                "can be broken in seconds.",
                "A strong password is long: at least twelve characters. One easy method is to "
                "join three or four random words and add a number and a symbol. Do not use your "
                "name, your birthday or your phone number.",
                "Use a different password for each important account; a password manager can "
                "remember them for you. Turn on two-step verification, so that a thief also "
                "needs your phone to get in. Never share your password or a verification code "
                "with anyone.",
            ),
            document("password-checklist", "Password checklist (text file, to print or keep)"),
            exercise(
                "Make and test a passphrase",
                "A strong passphrase that only you know",
                "Choose four random words with no link to you, for example things you can see in "
                "a kitchen. Do not write them here or show anyone.",
                "Join them, and add a capital letter, a number and a symbol. Count the "
                "characters: you need at least 12.",
                "Check your passphrase against every line of the password checklist.",
                "With your trainer, open the security settings of your email account and find "
                "the option for two-step verification.",
            ),
        ],
    },
    {
        "slug": "spotting-scams-and-phishing",
        "title": "Spotting scams and phishing",
        "summary": "Learn the warning signs of fake messages, calls and websites, and what to do "
        "when you get one.",
        "minutes": 40,
        "body": [
            h2("What is phishing?"),
            p(
                "Phishing is a trick: a criminal pretends to be someone you trust, such as a "
                "bank, a mobile company, a delivery service or a friend, to make you give away a "
                "password, a code or money. It comes by email, SMS, WhatsApp, social media or a "
                "phone call."
            ),
            h2("Scams you may see"),
            p(
                ul(
                    "“Congratulations! You have won a prize in a lucky draw. Send a fee to "
                    "receive it.”",
                    "A message that says your bank account or SIM will be blocked today unless "
                    "you share a code.",
                    "A caller who says he is from a bank or a government programme and asks for "
                    "your CNIC number, your card PIN or the code he just sent you.",
                    "A message from a friend's account asking you to send money urgently or to "
                    "share a code you just received. Their account may have been stolen.",
                    "A job or freelancing offer that asks you to pay first for “registration” or "
                    "“training”.",
                )
            ),
            h2("Warning signs"),
            p(
                ul(
                    "<b>Hurry or fear</b>: “within 24 hours”, “your account will be closed”.",
                    "<b>Too good to be true</b>: a prize you never entered, very high pay for "
                    "easy work.",
                    "<b>Asking for secrets</b>: passwords, PINs, verification codes (OTP), "
                    "photos of your CNIC.",
                    "<b>Strange links</b>: an address that is not the real one, for example "
                    "<code>mybank-secure-login.xyz</code> instead of your bank's website.",
                    "<b>Unexpected attachments</b>, especially <code>.exe</code>, "
                    "<code>.apk</code> or <code>.zip</code> files.",
                )
            ),
            warning(
                "Your bank will never ask for your PIN, your password or a verification code by "
                "phone, SMS or WhatsApp. Anyone who asks is a criminal."
            ),
            h2("Check before you click"),
            p(
                "On a computer, move the mouse over a link without clicking: the real address "
                "appears at the bottom of the browser. On a phone, press and hold the link to see "
                "it. If you are not sure, do not use the link. Open the website by typing its "
                "address yourself, or call the company on the number printed on your card or on "
                "its official website."
            ),
            h2("What to do"),
            p(
                ol(
                    "Do not reply, click or send anything.",
                    "If the message seems to come from a friend, call them on their usual number "
                    "to check.",
                    "Block and report the sender in the app.",
                    "If you already gave a password, change it at once and turn on two-step "
                    "verification. If you gave bank details, call your bank's official helpline "
                    "immediately.",
                    "Tell your trainer, a teacher or a family member. Scammers count on you "
                    "keeping it secret.",
                )
            ),
            note(
                "Online fraud is a crime in Pakistan and can be reported to the national "
                "cybercrime authorities. Ask your trainer for the current helpline and website."
            ),
            exercise(
                "Scam or real?",
                "Decide which messages are safe",
                "Read these messages. (1) “Your parcel is waiting. Pay a Rs 150 delivery fee at "
                "this link today.” (2) “Your class starts at 2 pm tomorrow in Lab 2. Your "
                "trainer.” (3) “Dear customer, your account is blocked. Reply with the code we "
                "sent to unblock it.”",
                "For each message, write <b>safe</b> or <b>scam</b>, and list the warning signs "
                "you see.",
                "Compare your answers with a partner, then with the class.",
                "Write one sentence you could say to a family member to warn them about "
                "code-sharing scams.",
            ),
        ],
    },
    {
        "slug": "your-digital-footprint",
        "title": "Your digital footprint",
        "summary": "Everything you post leaves a trace. Learn to share with care and set your "
        "privacy.",
        "minutes": 30,
        "body": [
            h2("What is a digital footprint?"),
            p(
                "Your digital footprint is the record of what you do online: your posts, photos, "
                "comments and likes, the groups you join, and what others post about you. You "
                "create some of it on purpose. Apps and websites collect the rest, such as your "
                "location and the pages you visit.",
                "A footprint lasts a long time. Deleting a post does not delete the screenshots "
                "other people took. In a few years a university, a client or an employer may "
                "search for your name.",
            ),
            h2("Think before you post"),
            p(
                "Before you share something, ask yourself:",
                ul(
                    "Would I be happy if my parents, my teacher or a future employer saw this?",
                    "Does it show where I live, my school timetable or when my home is empty?",
                    "Is this a photo of someone else? Did they agree to share it?",
                    "Am I angry right now? If so, wait and decide later.",
                ),
            ),
            tip(
                "Turn off location for photos and posts. A photo can show exactly where and when "
                "it was taken."
            ),
            h2("Privacy settings"),
            p(
                "Most apps let you choose who sees your posts: everyone, friends only, or only "
                "you. Check the settings of each app you use. Make your profile private, hide "
                "your phone number, and accept friend requests only from people you know in "
                "real life."
            ),
            h2("A positive footprint"),
            p(
                "Your footprint can also help you. A tidy profile with your real skills, "
                "projects you made and polite comments shows people that you are careful and "
                "serious. This matters a lot when you start freelancing."
            ),
            note(
                "Be kind online. Do not share rumours or hurtful posts about others. If someone "
                "bullies or threatens you online, do not reply: take screenshots, block them and "
                "tell an adult you trust."
            ),
            exercise(
                "Check your footprint",
                "A list of three changes that protect your privacy",
                "Search for your own name in a search engine. Note what you find.",
                "Open the privacy settings of one app you use. Check who can see your posts, "
                "your friends list and your phone number.",
                "Look at your last ten posts or photos. Would you be happy for a future employer "
                "to see each one?",
                "Write three changes you will make, and make one of them today.",
            ),
        ],
    },
]

DOCUMENTS_AND_SPREADSHEETS_LESSONS = [
    {
        "slug": "writing-a-letter-in-a-word-processor",
        "title": "Writing a letter in a word processor",
        "summary": "Type, format and save a formal letter in Word, LibreOffice Writer or Google "
        "Docs.",
        "minutes": 45,
        "body": [
            h2("What is a word processor?"),
            p(
                "A word processor is a program for writing documents: letters, reports, CVs and "
                "applications. Common ones are Microsoft Word, LibreOffice Writer (free) and "
                "Google Docs (free, in a web browser). Their buttons are in different places, "
                "but they all do the same things."
            ),
            h2("The parts of a formal letter"),
            p(
                ol(
                    "Your address and the date, at the top.",
                    "The name and address of the person you are writing to.",
                    "A greeting: <i>Dear Sir/Madam,</i> or <i>Dear Mr Khan,</i>",
                    "A subject line that says what the letter is about.",
                    "The body: short paragraphs, with one idea in each.",
                    "A closing: <i>Yours faithfully,</i> if you began with Sir/Madam, or "
                    "<i>Yours sincerely,</i> if you used their name. Then your name.",
                )
            ),
            h2("Typing and editing"),
            p(
                "Just type: the word processor moves to the next line by itself. Press "
                "<b>Enter</b> only at the end of a paragraph. If you make a mistake, press "
                "<b>Backspace</b>. A red wavy line under a word means it may be spelled wrong: "
                "right-click it to see suggestions."
            ),
            h2("Formatting"),
            p(
                "First <b>select</b> the text by dragging over it with the mouse, then choose the "
                "format:",
                ul(
                    "<b>Bold</b> (<b>Ctrl+B</b>), <i>italic</i> (<b>Ctrl+I</b>) and underline "
                    "(<b>Ctrl+U</b>).",
                    "Font and size: a clear font such as Calibri or Arial, in size 11 or 12, is "
                    "good for letters.",
                    "Alignment: left for most text, centre for titles.",
                    "Line spacing: 1.15 or 1.5 makes text easier to read.",
                ),
            ),
            tip(
                "Save in the first minute, before you write much: press <b>Ctrl+S</b>, choose your "
                "folder and give the file a clear name. Then press Ctrl+S again every few minutes."
            ),
            h2("Check, save and share"),
            p(
                "Read your letter once more, slowly. Then use <b>File &gt; Print</b> to see a "
                "preview of the page. To send the letter by email, also save a copy as a PDF "
                "(in Word or Writer, use <b>Save As</b> or <b>Export</b> and choose PDF; in "
                "Google Docs, use <b>File &gt; Download</b>). A PDF looks the same on every "
                "computer and phone."
            ),
            exercise(
                "Write a leave application",
                "A one-page letter saved as DOCX and PDF",
                "Open a word processor and start a new blank document.",
                "Write a letter to your head teacher asking for two days' leave for a family "
                "wedding. Use all six parts of a formal letter.",
                "Make the subject line bold. Use a 12-point font and 1.15 line spacing.",
                "Check the spelling, then save the letter as <code>leave-application.docx</code> "
                "in your <code>School</code> folder.",
                "Save or export a second copy as <code>leave-application.pdf</code> and open it "
                "to check.",
            ),
        ],
    },
    {
        "slug": "your-first-spreadsheet",
        "title": "Your first spreadsheet",
        "summary": "Rows, columns and cells: enter data in a spreadsheet and make it easy to read.",
        "minutes": 45,
        "body": [
            h2("What is a spreadsheet?"),
            p(
                "A spreadsheet is a big table that can also calculate. Shops use spreadsheets for "
                "stock and sales, schools for marks and attendance, and freelancers for their "
                "income. Common programs are Microsoft Excel, LibreOffice Calc and Google Sheets."
            ),
            h2("Rows, columns and cells"),
            p(
                "Columns go down and have letters: A, B, C. Rows go across and have numbers: 1, "
                "2, 3. The box where a column and a row meet is a <b>cell</b>. Each cell has an "
                "<b>address</b>: the column letter first, then the row number. The cell in "
                "column B, row 3 is <b>B3</b>."
            ),
            image(
                "spreadsheet-grid",
                "A spreadsheet with columns A to D and rows 1 to 6. Cell B3 is selected, and its "
                "address B3 appears in the Name Box.",
                "Cell B3 is where column B and row 3 meet.",
            ),
            p(
                "The <b>Name Box</b> at the top left shows the address of the selected cell. The "
                "<b>formula bar</b> next to it shows what is really inside the cell."
            ),
            h2("Entering data"),
            p(
                ul(
                    "Click a cell and type. Press <b>Enter</b> to go down or <b>Tab</b> to go "
                    "right.",
                    "To change a cell, click it and type again, or double-click it to edit part "
                    "of it.",
                    "Put one piece of data in each cell, and a number alone, without words like "
                    "“Rs”. You can show the currency with formatting later.",
                    "Put headings in the first row, such as <i>Item</i>, <i>Price</i> and "
                    "<i>Quantity</i>.",
                )
            ),
            tip(
                "Text lines up on the left of a cell and numbers on the right. If a number sits "
                "on the left, the spreadsheet may think it is text and will not calculate with it."
            ),
            h2("Making it readable"),
            p(
                ul(
                    "Make the heading row bold.",
                    "Drag the line between two column letters to make a column wider. "
                    "Double-click the line to fit the text.",
                    "Select the numbers and choose a number format, such as 0 decimal places.",
                    "Add borders to the table so that it prints clearly.",
                )
            ),
            h2("Saving your work"),
            p(
                "A spreadsheet file is called a <b>workbook</b>, for example "
                "<code>shop-stock.xlsx</code>. One workbook can hold several <b>sheets</b>, shown "
                "as tabs at the bottom of the window."
            ),
            exercise(
                "A school stationery list",
                "A tidy table of items, prices and quantities",
                "Open a spreadsheet program. In A1, B1 and C1, type <i>Item</i>, <i>Price "
                "(Rs)</i> and <i>Quantity</i>.",
                "In rows 2 to 6, enter five things you need for school, their price and how many "
                "you need.",
                "Make row 1 bold, and widen column A so that every item name fits.",
                "Click C4. Read its address in the Name Box and its content in the formula bar.",
                "Save the workbook as <code>stationery.xlsx</code> in your <code>School</code> "
                "folder.",
            ),
        ],
    },
    {
        "slug": "formulas-sum-and-average",
        "title": "Formulas: SUM and AVERAGE",
        "summary": "Let the spreadsheet do the maths: write formulas, add with SUM and find the "
        "average.",
        "minutes": 45,
        "body": [
            h2("Formulas start with ="),
            p(
                "A <b>formula</b> tells the spreadsheet to calculate, and every formula starts "
                "with an equals sign. Type <code>=5+3</code> in a cell and press Enter: the cell "
                "shows <b>8</b>, and the formula bar still shows <code>=5+3</code>.",
                "The real power comes from using cell addresses instead of numbers. If B2 holds "
                "a price and C2 a quantity, <code>=B2*C2</code> gives the cost. Change the price, "
                "and the answer updates by itself.",
                ul(
                    "<code>+</code> add",
                    "<code>-</code> subtract",
                    "<code>*</code> multiply",
                    "<code>/</code> divide",
                ),
            ),
            h2("SUM: add up a range"),
            p(
                "A <b>range</b> is a group of cells, written with a colon: <code>B2:B6</code> "
                "means B2, B3, B4, B5 and B6. The <b>SUM</b> function adds every number in a "
                "range:"
            ),
            code("text", "=SUM(B2:B6)"),
            p(
                "This is shorter and safer than <code>=B2+B3+B4+B5+B6</code>, and if you insert a "
                "row inside the range, SUM includes it."
            ),
            h2("AVERAGE: the typical value"),
            p(
                "The <b>AVERAGE</b> function adds the numbers in a range and divides by how many "
                "numbers there are. For the marks 60, 70 and 80, the average is (60 + 70 + 80) ÷ "
                "3 = 70. For the marks of a class of 30 students in C2 to C31:"
            ),
            code("text", "=AVERAGE(C2:C31)"),
            tip(
                "AVERAGE skips empty cells but counts cells that contain 0. Leave the cell empty "
                "when a student was absent, and type 0 only when the mark really was zero."
            ),
            h2("Copy a formula down"),
            p(
                "Select the cell with the formula and drag the small square at its bottom right "
                "corner, the <b>fill handle</b>, down the column. The addresses change for each "
                "row: <code>=B2*C2</code> becomes <code>=B3*C3</code>, then "
                "<code>=B4*C4</code>. This is why formulas use addresses."
            ),
            warning(
                "<code>#VALUE!</code> means a cell in your formula holds text instead of a "
                "number. <code>#DIV/0!</code> means the formula divides by zero, or averages a "
                "range with no numbers. <code>####</code> means the column is too narrow: make it "
                "wider."
            ),
            exercise(
                "The cost of the stationery list",
                "Totals that update by themselves",
                "Open <code>stationery.xlsx</code> from the last lesson. In D1, type <i>Cost "
                "(Rs)</i>.",
                "In D2, type <code>=B2*C2</code> and press Enter. Copy it down to D6 with the "
                "fill handle.",
                "In A8, type <i>Total</i>, and in D8 type <code>=SUM(D2:D6)</code>.",
                "In A9, type <i>Average price</i>, and in B9 type <code>=AVERAGE(B2:B6)</code>.",
                "Change one price and watch the cost, the total and the average update. Save "
                "with Ctrl+S.",
            ),
        ],
    },
]

TRACK = {
    "slug": "digital-literacy",
    "title": "Digital literacy",
    "audience": "students",
    "summary": "Everyday computer skills for school students: use a computer with confidence, "
    "stay safe online, and make the documents and spreadsheets that school and work ask for.",
    "courses": [
        {
            "slug": "computer-basics",
            "title": "Computer basics",
            "summary": "Start here. Learn the parts of a computer, keep your work in files and "
            "folders, and type and use the mouse with confidence.",
            "outcomes": [
                "Name the main parts of a computer and say what each one does",
                "Start and shut down a computer safely",
                "Create, rename, move and delete files and folders",
                "Type from the home row and use common keyboard shortcuts",
                "Click, double-click, right-click and drag with the mouse",
            ],
            "level": "beginner",
            "hours": 12,
            "prerequisites": [],
            "lessons": COMPUTER_BASICS_LESSONS,
        },
        {
            "slug": "internet-safety",
            "title": "Internet safety",
            "summary": "Protect yourself and your accounts online: make strong passwords, spot "
            "scams and phishing, and think before you share.",
            "outcomes": [
                "Create strong, unique passwords and keep them safe",
                "Turn on two-step verification for important accounts",
                "Recognise scam and phishing messages and know what to do",
                "Control what you share online and check your privacy settings",
            ],
            "level": "beginner",
            "hours": 8,
            "prerequisites": ["computer-basics"],
            "lessons": INTERNET_SAFETY_LESSONS,
        },
        {
            "slug": "documents-and-spreadsheets",
            "title": "Documents and spreadsheets",
            "summary": "Make the documents and spreadsheets that school and work ask for: a "
            "well-formatted letter, a neat table of data, and totals that update themselves.",
            "outcomes": [
                "Write, format, save and print a formal letter",
                "Save a document as PDF to share it",
                "Enter and format data in a spreadsheet",
                "Use cell addresses and simple formulas",
                "Add up and average numbers with SUM and AVERAGE",
            ],
            "level": "beginner",
            "hours": 16,
            "prerequisites": ["computer-basics"],
            "lessons": DOCUMENTS_AND_SPREADSHEETS_LESSONS,
        },
    ],
}
