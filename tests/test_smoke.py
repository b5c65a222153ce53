from standin import papers
from conftest import FAST_ARXIV


def test_update_renders_papers(project, standin):
    project.write_config("keywords:\n  - Reward Model\n" + FAST_ARXIV)
    standin.add('ti:"Reward Model" OR abs:"Reward Model"', papers("2505", 3))
    result = project.run("update")
    assert result.status == 0, result.err
    text = project.readme.read_text()
    assert "2505 paper 3" in text
    print(text)
    print(result.err)
