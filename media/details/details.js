// The ticket details page. It receives the ticket as JSON and builds the DOM with textContent only: ticket text
// comes from other people and is never parsed as HTML. Buttons post an action name; the extension decides.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');
  let restored = false;

  /** An element with classes and, optionally, text (as text, never markup). */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function codicon(icon) {
    const node = el('span', `codicon codicon-${icon.name}${icon.spin ? ' codicon-modifier-spin' : ''}`);
    node.setAttribute('aria-hidden', 'true');
    if (icon.color) node.style.setProperty('color', `var(${icon.color})`);
    return node;
  }

  function button(action) {
    const node = el('button', action.primary ? 'action primary' : 'action secondary');
    node.type = 'button';
    node.dataset.action = action.action;
    node.append(codicon({ name: action.icon }), el('span', 'label', action.label));
    return node;
  }

  function when(item) {
    const node = el('time', 'when', item.at);
    if (item.atTitle) node.title = item.atTitle;
    return node;
  }

  function facts(list, className) {
    const dl = el('dl', className);
    for (const fact of list) {
      const dt = el('dt', '', fact.label);
      const dd = el('dd', '', fact.value);
      if (fact.title) dd.title = fact.title;
      dl.append(dt, dd);
    }
    return dl;
  }

  const sections = {
    text(section) {
      return el('p', 'prose', section.text);
    },
    sql(section) {
      const pre = el('pre', 'sql');
      const code = el('code');
      for (const [kind, text] of section.spans) code.append(kind === 'space' ? document.createTextNode(text) : el('span', `tok-${kind}`, text));
      pre.append(code);
      return pre;
    },
    checks(section) {
      const box = el('div');
      const summary = el('p', 'summary');
      summary.append(codicon(section.icon), el('span', '', section.summary));
      const list = el('ul', 'checks');
      for (const item of section.items) {
        const li = el('li');
        const body = el('div');
        body.append(el('div', 'check-name', item.check), el('div', 'muted', item.message));
        li.append(codicon(item.icon), body);
        list.append(li);
      }
      box.append(summary, list);
      return box;
    },
    steps(section) {
      const list = el('ol', 'steps');
      for (const step of section.items) {
        const li = el('li');
        const body = el('div', 'step-body');
        const head = el('div', 'step-head');
        head.append(el('strong', '', step.name), el('span', 'pill', step.state));
        body.append(head);
        if (step.people) body.append(el('div', 'muted', step.people));
        if (step.at) body.append(when(step));
        if (step.comment) body.append(el('blockquote', '', step.comment));
        li.append(codicon(step.icon), body);
        list.append(li);
      }
      return list;
    },
    timeline(section) {
      const list = el('ol', 'timeline');
      for (const event of section.items) {
        const li = el('li');
        const head = el('div');
        head.append(el('strong', '', event.actor), el('span', '', ` ${event.action}`));
        li.append(head, when(event));
        if (event.comment) li.append(el('blockquote', '', event.comment));
        list.append(li);
      }
      return list;
    },
    comments(section) {
      if (section.items.length === 0) return el('p', 'muted', section.empty);
      const list = el('ul', 'comments');
      for (const comment of section.items) {
        const li = el('li');
        const head = el('div', 'comment-head');
        head.append(el('strong', '', comment.author), when(comment));
        li.append(head, el('p', 'prose', comment.text));
        list.append(li);
      }
      return list;
    },
    list(section) {
      const list = el('ul', 'plain');
      for (const item of section.items) {
        const li = el('li');
        li.append(codicon({ name: 'file' }), el('span', '', item));
        list.append(li);
      }
      return list;
    },
    execution(section) {
      const box = el('div');
      if (section.facts.length > 0) box.append(facts(section.facts, 'facts compact'));
      if (section.message) {
        const message = el('p', 'message');
        message.append(codicon(section.icon), el('span', '', section.message));
        box.append(message);
      }
      if (section.rows.length > 0) {
        const table = el('table');
        const head = el('tr');
        for (const column of section.columns) head.append(el('th', '', column));
        table.append(el('thead'), el('tbody'));
        table.tHead.append(head);
        for (const row of section.rows) {
          const tr = el('tr');
          row.cells.forEach((cell, i) => {
            const td = el('td', i === 2 ? 'num' : '');
            if (i === 1) td.append(codicon(row.icon), document.createTextNode(' '));
            td.append(document.createTextNode(cell));
            tr.append(td);
          });
          table.tBodies[0].append(tr);
        }
        box.append(table);
      }
      return box;
    },
  };

  function card(section) {
    const node = el('section', `card card-${section.type}`);
    node.append(el('h2', '', section.heading), sections[section.type](section));
    return node;
  }

  function header(view) {
    const head = el('header');
    const title = el('h1', '', view.heading);
    const badges = el('div', 'badges');
    const status = el('span', 'status');
    status.append(codicon(view.status.icon), el('span', '', view.status.label));
    if (view.status.icon.color) status.style.setProperty('--status-color', `var(${view.status.icon.color})`);
    badges.append(status);
    if (view.needsYou) badges.append(el('span', 'needs-you', view.needsYou));
    head.append(title, badges, facts(view.facts, 'facts'));
    return head;
  }

  function toolbar(actions) {
    const bar = el('nav', 'toolbar');
    bar.setAttribute('role', 'toolbar');
    bar.append(...actions.map(button));
    return bar;
  }

  function render(message) {
    const view = message.view;
    vscode.setState({ ...(vscode.getState() || {}), profile: view.key.profile, id: view.key.id });
    const scroll = restored ? window.scrollY : (vscode.getState() || {}).scrollY || 0;
    const content = [];
    if (message.type === 'error') {
      const box = el('div', 'error');
      box.append(codicon({ name: 'error', color: '--vscode-errorForeground' }), el('span', '', view.message));
      content.push(el('h1', '', view.heading), box, toolbar([view.retry]));
    } else {
      const layout = el('div', 'layout');
      const main = el('div', 'main');
      main.append(...view.main.map(card));
      const side = el('aside', 'side');
      side.append(...view.side.map(card));
      layout.append(main, side);
      content.push(header(view), toolbar(view.actions), layout);
    }
    root.replaceChildren(...content);
    window.scrollTo(0, scroll);
    restored = true;
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && (message.type === 'render' || message.type === 'error')) render(message);
  });

  let saving;
  window.addEventListener('scroll', () => {
    clearTimeout(saving);
    saving = setTimeout(() => vscode.setState({ ...(vscode.getState() || {}), scrollY: window.scrollY }), 100);
  });

  root.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    if (!target || target.disabled) return;
    for (const b of root.querySelectorAll('button[data-action]')) b.disabled = true;
    target.classList.add('busy');
    vscode.postMessage({ type: 'action', action: target.dataset.action });
  });

  vscode.postMessage({ type: 'ready' });
})();
