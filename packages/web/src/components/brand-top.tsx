/** The state's block mark text, on two lines as the design system draws it. */
export function brandTop(text: string) {
  const [first, ...rest] = text.split('\n');
  return (
    <>
      {first}
      {rest.map((line) => (
        <span key={line}>
          <br />
          {line}
        </span>
      ))}
    </>
  );
}
