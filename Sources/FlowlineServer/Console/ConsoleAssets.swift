import Hummingbird

/// The console's stylesheet and script, compiled into the binary: nothing is fetched from elsewhere.
enum ConsoleAssets {
    static func response(_ name: String) -> Response? {
        switch name {
        case "console.css": ConsoleResponse.asset(css, contentType: "text/css; charset=utf-8")
        case "console.js": ConsoleResponse.asset(script, contentType: "text/javascript; charset=utf-8")
        default: nil
        }
    }

    static let css = """
        :root { --ink: #16191f; --muted: #5f6b7a; --line: #d5dbdb; --accent: #0972d3; --bad: #d91515; --ok: #037f0c; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--ink); background: #f2f3f3; }
        nav { display: flex; gap: 1.2em; align-items: center; padding: .6em 1.5em; background: #232f3e; }
        nav a, nav button.link { color: #fff; text-decoration: none; }
        nav .brand { font-weight: 700; margin-right: 1em; }
        nav form { margin-left: auto; }
        main { max-width: 1100px; margin: 1.5em auto; padding: 1.5em 2em; background: #fff; border: 1px solid var(--line); }
        h1 { font-size: 1.5em; margin-top: 0; } h2 { font-size: 1.15em; margin-top: 1.6em; }
        table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
        th, td { text-align: left; padding: .4em .6em; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #fafafa; font-weight: 600; }
        .field { margin: 0 0 1em; max-width: 640px; }
        .field label { display: block; font-weight: 600; margin-bottom: .25em; }
        .field.invalid input, .field.invalid textarea, .field.invalid select { border-color: var(--bad); }
        input[type=text], input[type=password], input[type=number], textarea, select { width: 100%; padding: .4em; border: 1px solid #8d99a8; border-radius: 3px; font: inherit; }
        .row { display: flex; gap: .6em; align-items: flex-end; flex-wrap: wrap; }
        .row .field { flex: 1 1 150px; }
        .row > input, .row > select { flex: 1 1 140px; width: auto; margin-bottom: .5em; }
        .hint { color: var(--muted); margin: .2em 0 0; font-size: .92em; }
        .error { color: var(--bad); margin: .25em 0 0; }
        .alert { border: 1px solid var(--bad); background: #fff7f7; padding: .5em 1em; margin-bottom: 1em; }
        .notice { border: 1px solid var(--ok); background: #f2fcf3; padding: .5em 1em; margin-bottom: 1em; }
        button { background: var(--accent); color: #fff; border: 0; border-radius: 3px; padding: .45em 1em; font: inherit; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
        button.danger { background: var(--bad); }
        button.link { background: none; padding: 0; }
        form.inline { display: inline; }
        .narrow { max-width: 420px; }
        .steps { display: flex; gap: .4em; list-style: none; padding: 0; margin: 0 0 1.5em; flex-wrap: wrap; }
        .steps li { padding: .3em .8em; border: 1px solid var(--line); border-radius: 1em; color: var(--muted); }
        .steps li.current { border-color: var(--accent); color: var(--accent); font-weight: 600; }
        .actions { margin-top: 1.5em; display: flex; gap: .6em; }
        .status-Successful, .status-Active { color: var(--ok); font-weight: 600; }
        .status-Error, .status-Errored { color: var(--bad); font-weight: 600; }
        .status-InProgress { color: var(--accent); font-weight: 600; }
        .check { display: inline-block; margin-right: 1em; font-weight: normal; }
        fieldset { border: 1px solid var(--line); margin: 0 0 1em; padding: .6em 1em; }
        legend { font-weight: 600; }
        fieldset fieldset { background: #fafafa; }
        code, pre { background: #f4f4f4; padding: .1em .3em; }
        dl { display: grid; grid-template-columns: max-content auto; gap: .3em 1.2em; } dt { font-weight: 600; } dd { margin: 0; }
        """

    /// Progressive help only: every form also works without it (the server checks everything again).
    static let script = """
        "use strict";
        document.addEventListener("DOMContentLoaded", () => {
          // Ask before deleting.
          for (const form of document.querySelectorAll("form[data-confirm]")) {
            form.addEventListener("submit", (e) => { if (!confirm(form.dataset.confirm)) e.preventDefault(); });
          }
          // The flow name is checked as it is typed, by the service's own rules (GET, no side effects).
          for (const input of document.querySelectorAll("input[data-check-url]")) {
            const note = document.createElement("p");
            note.className = "error live"; note.dataset.liveFor = input.name;
            input.insertAdjacentElement("afterend", note);
            let timer;
            input.addEventListener("input", () => {
              clearTimeout(timer);
              timer = setTimeout(async () => {
                const url = input.dataset.checkUrl + encodeURIComponent(input.value);
                try {
                  const answer = await (await fetch(url, { credentials: "same-origin" })).json();
                  note.textContent = answer.message || "";
                  input.setAttribute("aria-invalid", answer.message ? "true" : "false");
                } catch (_) { note.textContent = ""; }
              }, 250);
            });
          }
          // Alternative credential groups (SAP OData's basic or OAuth): show the chosen one only;
          // the server sends the chosen group whatever is shown.
          for (const radio of document.querySelectorAll("input[type=radio][data-choice]")) {
            radio.addEventListener("change", () => {
              for (const group of document.querySelectorAll("fieldset[data-choice-for]")) {
                if (group.dataset.choiceFor === radio.name) group.hidden = group.dataset.choiceValue !== radio.value;
              }
            });
          }
          // A chosen CSV file of source,destination pairs is read into the text area the server receives.
          for (const file of document.querySelectorAll("input[type=file][data-into]")) {
            file.addEventListener("change", () => {
              const target = document.getElementById(file.dataset.into);
              const chosen = file.files && file.files[0];
              if (!target || !chosen) return;
              const reader = new FileReader();
              reader.onload = () => { target.value = reader.result; };
              reader.readAsText(chosen);
            });
          }
        });
        """
}
